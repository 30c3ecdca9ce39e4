using System.Text;
using System.Text.Json.Nodes;
using Stripe;

namespace Provisioning.Bench;

/// <summary>Paid <c>checkout.session.completed</c> events in Stripe's own shape, each for a new user, signed like Stripe signs them.</summary>
public sealed class CheckoutEvents(string secret)
{
    private readonly JsonObject _event = Load("event.json");
    private readonly JsonObject _session = Load("checkout.session.json");
    private long _sequence;

    public BenchEvent Next()
    {
        var n = Interlocked.Increment(ref _sequence);
        var run = Environment.ProcessId;
        var session = _session.DeepClone().AsObject();
        session["id"] = $"cs_bench_{run}_{n}";
        session["status"] = "complete";
        session["payment_status"] = "paid";
        session["mode"] = "payment";
        session["metadata"] = new JsonObject { ["userId"] = $"user_bench_{run}_{n}", ["agentId"] = $"agent_{n}", ["region"] = "us-east" };
        var stripeEvent = _event.DeepClone().AsObject();
        var id = $"evt_bench_{run}_{n}";
        stripeEvent["id"] = id;
        stripeEvent["type"] = "checkout.session.completed";
        stripeEvent["api_version"] = StripeConfiguration.ApiVersion;
        stripeEvent["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        stripeEvent["livemode"] = false;
        stripeEvent["data"] = new JsonObject { ["object"] = session };
        return new BenchEvent(id, stripeEvent.ToJsonString());
    }

    /// <summary>A delivery of <paramref name="e"/>, signed now.</summary>
    public HttpRequestMessage Request(BenchEvent e)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/stripe")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(e.Json)) { Headers = { { "Content-Type", "application/json; charset=utf-8" } } },
        };
        request.Headers.TryAddWithoutValidation(
            "Stripe-Signature", EventUtility.GenerateSignatureHeader(e.Json, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return request;
    }

    private static JsonObject Load(string name) =>
        JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "stripe", name)))!.AsObject();
}

public sealed record BenchEvent(string Id, string Json);
