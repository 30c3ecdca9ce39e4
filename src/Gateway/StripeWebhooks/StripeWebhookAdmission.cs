using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>
/// Bounds the Stripe deliveries being recorded (<see cref="StripeWebhookOptions.MaxConcurrentDeliveries"/> recording,
/// <see cref="StripeWebhookOptions.MaxQueuedDeliveries"/> waiting). A place is taken only once a delivery's body has arrived
/// and its signature is valid, so senders that trickle bodies or sign nothing hold no place. A delivery beyond both
/// bounds is refused at once with 503, <c>Retry-After</c> and reason <c>overloaded</c>: nothing was recorded.
/// </summary>
public sealed class StripeWebhookAdmission(IOptions<StripeWebhookOptions> options) : IDisposable
{
    /// <summary>The <c>Retry-After</c> of an overload refusal: a short wait, the overload is usually a burst.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly ConcurrencyLimiter _places = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrentDeliveries,
        QueueLimit = options.Value.MaxQueuedDeliveries,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>A place to record one delivery; not acquired when both bounds are full. Dispose it when the answer is known.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => _places.AcquireAsync(1, cancellationToken);

    public void Dispose() => _places.Dispose();
}
