using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using Provisioning.Grains.StripeInbox;
using Stripe;

namespace Provisioning.Grains.StripeReconciliation;

/// <summary>
/// Stripe's API as the reconciler reads it, through Stripe.net: the handled event types whose delivery has not succeeded,
/// created within a window, newest first across every page; and a webhook endpoint's status.
/// </summary>
public sealed class StripeEventSource
{
    private readonly StripeReconciliationOptions _options;
    private readonly Lazy<StripeClient> _client;

    public StripeEventSource(IOptions<StripeReconciliationOptions> options)
    {
        _options = options.Value;
        _client = new(() => new StripeClient(
            apiKey: _options.ApiKey,
            apiBase: string.IsNullOrEmpty(_options.ApiBase) ? null : _options.ApiBase.TrimEnd('/')));
    }

    /// <summary>Events per page of the listing (Stripe's <c>limit</c>, 1 to 100). Default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The window's events, newest first, after its cursor; each with its raw JSON as Stripe's API answered it.</summary>
    public async IAsyncEnumerable<ListedEvent> ListAsync(ReconciliationWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var service = new EventService(_client.Value);
        var list = new EventListOptions
        {
            Created = new DateRangeOptions
            {
                GreaterThanOrEqual = window.Since.UtcDateTime,
                LessThanOrEqual = window.Until.UtcDateTime,
            },
            Types = [.. StripeEventRoute.HandledTypes],
            DeliverySuccess = false,
            Limit = PageSize,
            StartingAfter = window.Cursor,
        };
        await foreach (var e in service.ListAutoPagingAsync(list, null, cancellationToken))
        {
            var json = e.RawJsonElement is { } raw ? raw.GetRawText() : e.ToJson();
            yield return new ListedEvent(e.Id, Encoding.UTF8.GetBytes(json));
        }
    }

    /// <summary>The webhook endpoint's status (<c>enabled</c> or <c>disabled</c>).</summary>
    public async Task<string> GetEndpointStatusAsync(string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await new WebhookEndpointService(_client.Value).GetAsync(endpointId, null, null, cancellationToken);
        return endpoint.Status;
    }

    /// <summary>How long Stripe asked to wait (<c>Retry-After</c> of a 429), if it did.</summary>
    public static TimeSpan? RetryAfter(StripeException failure) =>
        failure.HttpStatusCode == HttpStatusCode.TooManyRequests
            && failure.StripeResponse?.Headers?.RetryAfter is { } retryAfter
            ? retryAfter.Delta ?? (retryAfter.Date is { } at ? at - DateTimeOffset.UtcNow : null)
            : null;
}

/// <summary>An event as listed: its id and its JSON.</summary>
public sealed record ListedEvent(string Id, byte[] Json);
