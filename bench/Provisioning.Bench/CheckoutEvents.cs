using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Cli.Stripe;

namespace Provisioning.Bench;

/// <summary>
/// Paid <c>checkout.session.completed</c> events, each for a new user, built and signed the way the CLI's
/// <c>trigger checkout</c> builds them (Stripe's own shapes, Stripe.net's signature).
/// </summary>
public sealed class CheckoutEvents(string secret)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private long _sequence;

    /// <summary>The prefix of every event id this run sends, so the checker finds exactly its jobs.</summary>
    public static string IdPrefix { get; } = $"evt_bench_{Environment.ProcessId}_";

    /// <summary>The first event of a new checkout session.</summary>
    public BenchEvent Next()
    {
        var n = Interlocked.Increment(ref _sequence);
        var e = CheckoutEvent.Create($"user_bench_{Environment.ProcessId}_{n}", $"agent_{n}", "us-east", $"{IdPrefix}{n}", DateTimeOffset.UtcNow);
        return new BenchEvent(e, JobId: e.EventId);
    }

    /// <summary>
    /// A second Event object for <paramref name="first"/>'s checkout session, as Stripe sometimes generates: a new event id,
    /// the same session with the same metadata.
    /// </summary>
    public static BenchEvent SecondOf(BenchEvent first)
    {
        var json = JsonNode.Parse(first.Checkout.Json)!.AsObject();
        var id = $"{first.Id}_2";
        json["id"] = id;
        json["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new BenchEvent(new CheckoutEvent(id, first.SessionId, json.ToJsonString(Indented)), first.JobId);
    }

    /// <summary>A delivery of <paramref name="e"/>, signed now.</summary>
    public HttpRequestMessage Request(BenchEvent e)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/stripe")
        {
            Content = new ByteArrayContent(e.Body) { Headers = { { "Content-Type", "application/json; charset=utf-8" } } },
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", e.Checkout.Sign(secret, DateTimeOffset.UtcNow));
        return request;
    }
}

/// <summary>
/// One event the benchmark sends: a checkout session's first event, or a second Event object for it. <see cref="JobId"/> is
/// the session's job: the id of its first event, which the benchmark sends and gets acknowledged before any second one.
/// </summary>
public sealed record BenchEvent(CheckoutEvent Checkout, string JobId)
{
    public string Id => Checkout.EventId;

    public bool Second => !string.Equals(Id, JobId, StringComparison.Ordinal);

    public string SessionId => Checkout.SessionId;

    public byte[] Body { get; } = Encoding.UTF8.GetBytes(Checkout.Json);
}
