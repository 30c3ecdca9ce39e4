using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Provisioning.Bench;

/// <summary>Posts one signed delivery of an event and classifies the answer.</summary>
public sealed class WebhookSender(HttpClient http, CheckoutEvents events)
{
    // A longer Retry-After is cut to this, so that one odd header cannot stall a sender past a phase.
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Delivers <paramref name="e"/> once. A 2xx's receipt is read only when <paramref name="readReceipt"/> asks for it,
    /// so that a saturating phase spends no client CPU on bodies it does not look at.
    /// </summary>
    public async Task<Delivered> SendAsync(BenchEvent e, bool readReceipt)
    {
        try
        {
            using var request = events.Request(e);
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return new Delivered(Answer.Acknowledged, TimeSpan.Zero, null, readReceipt ? await ReadAsync<Receipt>(response) : null);
            }

            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                && response.Headers.RetryAfter is { } retryAfter)
            {
                return new Delivered(Answer.Shed, Wait(retryAfter), (await ReadAsync<Problem>(response))?.Reason, null);
            }

            return new Delivered(Answer.Other, TimeSpan.Zero, null, null);
        }
        catch (TaskCanceledException)
        {
            return new Delivered(Answer.TimedOut, TimeSpan.Zero, null, null);
        }
        catch (HttpRequestException)
        {
            return new Delivered(Answer.Failed, TimeSpan.Zero, null, null);
        }
    }

    private static TimeSpan Wait(RetryConditionHeaderValue retryAfter)
    {
        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(1));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestRetryAfter ? LongestRetryAfter : wait;
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response)
        where T : class
    {
        if (response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            // Not the JSON expected: the answer still counts, only its details are unknown.
            return null;
        }
    }

    private sealed record Problem(string? Reason);
}

/// <summary>What one delivery got back: the answer, how long to wait before the next try, why load was shed, the receipt.</summary>
public sealed record Delivered(Answer Answer, TimeSpan RetryAfter, string? ShedReason, Receipt? Receipt);

/// <summary>
/// The fields of the webhook's 200 body the benchmark checks. <see cref="Duplicate"/> is true when the event was already
/// stored; <see cref="JobId"/> names the job of the event's checkout session.
/// </summary>
public sealed record Receipt(bool? Duplicate, string? JobId);
