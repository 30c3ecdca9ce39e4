using System.Text;
using Provisioning.Cli.Stripe;

namespace Provisioning.Bench;

/// <summary>
/// Paid <c>checkout.session.completed</c> events, each for a new user, built and signed the way the CLI's
/// <c>trigger checkout</c> builds them (Stripe's own shapes, Stripe.net's signature).
/// </summary>
public sealed class CheckoutEvents(string secret)
{
    private long _sequence;

    /// <summary>The prefix of every event id this run sends, so the checker finds exactly its jobs.</summary>
    public static string IdPrefix { get; } = $"evt_bench_{Environment.ProcessId}_";

    public BenchEvent Next()
    {
        var n = Interlocked.Increment(ref _sequence);
        var e = CheckoutEvent.Create($"user_bench_{Environment.ProcessId}_{n}", $"agent_{n}", "us-east", $"{IdPrefix}{n}", DateTimeOffset.UtcNow);
        return new BenchEvent(e);
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

public sealed record BenchEvent(CheckoutEvent Checkout)
{
    public string Id => Checkout.EventId;

    public byte[] Body { get; } = Encoding.UTF8.GetBytes(Checkout.Json);
}
