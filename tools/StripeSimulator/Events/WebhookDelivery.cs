using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Stripe;

namespace Provisioning.StripeSimulator.Events;

/// <summary>
/// Delivers an event to the webhook endpoint as Stripe does: a POST of the event's JSON with
/// <c>Stripe-Signature: t=...,v1=...</c> (Stripe.net's own signer), recorded on the event. A 2xx answer is a successful
/// delivery. Nothing is sent while deliveries are dropped, the endpoint is disabled or no webhook URL is set.
/// </summary>
public sealed partial class WebhookDelivery(
    IHttpClientFactory http, EventStore events, EndpointState endpoint, TimeProvider time,
    IOptions<StripeSimulatorOptions> options, ILogger<WebhookDelivery> logger)
{
    public const string HttpClientName = "webhook-delivery";

    /// <summary>Delivers now; <paramref name="evenIfDropping"/> sends even while deliveries are dropped (a late delivery).</summary>
    public async Task<DeliveryAttempt> DeliverAsync(StoredEvent stored, bool evenIfDropping, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        DeliveryAttempt attempt;
        var url = endpoint.Url ?? settings.WebhookUrl;
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(settings.WebhookSecret))
        {
            attempt = new DeliveryAttempt(now, null, "not-sent: no webhook URL or secret");
        }
        else if (endpoint.Status == EndpointState.Disabled)
        {
            attempt = new DeliveryAttempt(now, null, "not-sent: endpoint disabled");
        }
        else if (endpoint.DropDeliveries && !evenIfDropping)
        {
            attempt = new DeliveryAttempt(now, null, "dropped");
        }
        else
        {
            attempt = await SendAsync(stored, url, settings.WebhookSecret, now, cancellationToken);
        }

        events.Record(stored, attempt);
        LogDelivery(logger, stored.Id, attempt.Status, attempt.Outcome);
        return attempt;
    }

    private async Task<DeliveryAttempt> SendAsync(StoredEvent stored, string url, string secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(stored.Json, Encoding.UTF8, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
        };
        request.Headers.TryAddWithoutValidation(
            "Stripe-Signature", EventUtility.GenerateSignatureHeader(stored.Json, secret, now.ToUnixTimeSeconds()));
        request.Headers.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            return new DeliveryAttempt(now, status, response.IsSuccessStatusCode ? "delivered" : "failed");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new DeliveryAttempt(now, null, $"failed: {ex.Message}");
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Delivery of {EventId}: {Status} {Outcome}")]
    private static partial void LogDelivery(ILogger logger, string eventId, int? status, string outcome);
}
