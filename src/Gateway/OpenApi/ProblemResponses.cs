using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Provisioning.Gateway.OpenApi;

/// <summary>
/// Adds the RFC 7807 error answers to each operation of the document. Handlers return <c>ProblemHttpResult</c>, whose status
/// is chosen at run time, so the statuses are declared here by endpoint name; on top of them every endpoint behind an
/// authorization policy may answer 401, and every <c>/api</c> endpoint 503 (with <c>Retry-After</c>) while the cluster or
/// the database is unreachable. A status the endpoint's own metadata already declares (e.g. 400 validation problems) is kept.
/// </summary>
internal sealed class ProblemResponses : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, int[]> ByEndpoint = new(StringComparer.Ordinal)
    {
        ["StripeWebhook"] = [400, 413, 415],
        ["WorkflowCallback"] = [400, 401, 404, 409, 413],
        ["GitHubEvents"] = [400, 401, 413],
        ["GetJob"] = [404],
        ["ListJobs"] = [400],
        ["ListUserJobs"] = [400],
        ["GetSubscription"] = [404],
        ["GetStripeEvent"] = [404],
        ["RetryJob"] = [404, 409],
        ["CancelJob"] = [404, 409],
        ["RetryJobs"] = [400],
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var statuses = new SortedSet<int>();
        if (metadata.OfType<IEndpointNameMetadata>().FirstOrDefault() is { } name && ByEndpoint.TryGetValue(name.EndpointName, out var declared))
        {
            statuses.UnionWith(declared);
        }

        if (metadata.OfType<IAuthorizeData>().Any())
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
        }

        if (("/" + description.RelativePath).StartsWith("/api/", StringComparison.Ordinal))
        {
            statuses.Add(StatusCodes.Status503ServiceUnavailable);
        }

        if (statuses.Count == 0)
        {
            return;
        }

        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key))
            {
                continue;
            }

            var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
            operation.Responses[key] = new OpenApiResponse
            {
                Description = ReasonPhrase(status),
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
        }
    }

    private static string ReasonPhrase(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Missing or wrong key or signature",
        StatusCodes.Status503ServiceUnavailable => "Temporarily unavailable; retry after the Retry-After header's seconds",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
