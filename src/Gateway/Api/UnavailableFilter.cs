using Provisioning.ServiceDefaults;
using Npgsql;

namespace Provisioning.Gateway.Api;

/// <summary>
/// Turns "a part the API reads from is down" (the cluster, or PostgreSQL for listings) into 503 with <c>Retry-After</c>
/// and an RFC 7807 body, instead of a 500: the request is fine and is worth repeating shortly.
/// </summary>
internal sealed partial class UnavailableFilter(ILogger<UnavailableFilter> logger) : IEndpointFilter
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is NpgsqlException { IsTransient: true } or PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } or OrleansException or TimeoutException || ClusterClientExtensions.IsNoSiloReachedYet(ex))
        {
            var request = context.HttpContext.Request;
            LogUnavailable(logger, request.Method, LogText.Escape(request.Path), ex.GetType().Name, ex.Message);
            return ApiProblems.Unavailable(
                context.HttpContext.Response, RetryAfter, "Temporarily unavailable",
                ex is NpgsqlException ? "The database is not reachable; try again shortly." : "The cluster is not reachable; try again shortly.",
                reason: null);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {ExceptionType}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string exceptionType, string reason);
}
