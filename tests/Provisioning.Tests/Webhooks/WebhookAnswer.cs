using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Webhooks;

/// <summary>What the gateway answered to one Stripe delivery: the status, the media type, the JSON body and <c>Retry-After</c>.</summary>
public sealed record WebhookAnswer(HttpStatusCode Status, string? MediaType, JsonElement Body, TimeSpan? RetryAfter)
{
    public bool Duplicate => Body.GetProperty("duplicate").GetBoolean();

    public string? Outcome => Text("outcome");

    public string? JobId => Text("jobId");

    /// <summary>The problem's machine-readable <c>reason</c> of a refused delivery.</summary>
    public string? Reason => Text("reason");

    public string? Text(string property) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public override string ToString() => $"{(int)Status} {Body}";
}

public static class StripeDelivery
{
    /// <summary>Sends a delivery and reads the answer.</summary>
    public static async Task<WebhookAnswer> SendWebhookAsync(this HttpClient http, HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
            return new WebhookAnswer(
                response.StatusCode, response.Content.Headers.ContentType?.MediaType, document.RootElement.Clone(),
                response.Headers.RetryAfter?.Delta);
        }
    }

    /// <summary>
    /// Waits (within <paramref name="timeout"/>, 30 s by default) until the inbox says the stored event was processed:
    /// what it leads to (its job, its subscription change) is then done.
    /// </summary>
    public static Task UntilProcessedAsync(this HttpClient http, string eventId, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync($"/api/stripe/events/{eventId}");
                if (!response.IsSuccessStatusCode)
                {
                    return false;
                }

                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return body.RootElement.GetProperty("processed").GetBoolean();
            },
            timeout ?? TimeSpan.FromSeconds(30), $"Stripe event {eventId} to be processed");

    /// <summary>Delivers the event as Stripe does: signed now with the current secret.</summary>
    public static Task<WebhookAnswer> DeliverAsync(this HttpClient http, StripeTestEvent stripeEvent) =>
        http.SendWebhookAsync(stripeEvent.ToRequest());
}
