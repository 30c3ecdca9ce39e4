using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Provisioning.Gateway.Observability;

namespace Provisioning.Gateway.Webhooks;

/// <summary>
/// Bounds the Stripe deliveries in progress (<see cref="StripeWebhookOptions.MaxConcurrentDeliveries"/> recording,
/// <see cref="StripeWebhookOptions.MaxQueuedDeliveries"/> waiting). A delivery beyond both is refused at once with 503,
/// <c>Retry-After</c> and reason <c>overloaded</c>, before its body is read: nothing was recorded, and Stripe delivers it again.
/// </summary>
public static class StripeWebhookAdmission
{
    public const string Policy = "stripe-deliveries";

    /// <summary>The <c>Retry-After</c> of an overload refusal: a short wait, the overload is usually a burst.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddStripeWebhookAdmission(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<StripeWebhookOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter(Policy, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrentDeliveries,
                    QueueLimit = options.MaxQueuedDeliveries,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
            limiter.OnRejected = RefuseAsync;
        });
        return services;
    }

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        http.RequestServices.GetRequiredService<GatewayTelemetry>()
            .WebhookAnswered(GatewayTelemetry.UnknownType, "overloaded", time.GetTimestamp());
        StripeWebhookLog.Overloaded(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StripeWebhookAdmission)));
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Too many deliveries in progress",
                Detail = "The gateway is recording as many deliveries as it takes at once; nothing was recorded. Deliver the event again later.",
                Extensions = { ["reason"] = "overloaded" },
            },
        });
    }
}
