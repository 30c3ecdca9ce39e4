using System.Text.Json.Nodes;

namespace Provisioning.StripeSimulator.Events;

/// <summary>
/// One event the simulator holds: Stripe's event object as JSON, when it was created (unix seconds, Stripe's <c>created</c>),
/// and its deliveries. <see cref="Delivered"/> is Stripe's delivery success: a delivery answered 2xx.
/// </summary>
public sealed class StoredEvent(string id, string type, long created, long sequence, string json)
{
    public string Id { get; } = id;
    public string Type { get; } = type;
    public long Created { get; } = created;

    /// <summary>Order of creation: breaks ties between events created in the same second, newest first as on Stripe.</summary>
    public long Sequence { get; } = sequence;

    public string Json { get; } = json;
    public bool Delivered { get; set; }
    public List<DeliveryAttempt> Deliveries { get; } = [];

    /// <summary>The event as the API lists it: <c>pending_webhooks</c> is 0 once delivered, as on Stripe.</summary>
    public JsonNode ToApiObject()
    {
        var node = JsonNode.Parse(Json)!;
        node["pending_webhooks"] = Delivered ? 0 : 1;
        return node;
    }
}

/// <summary>One delivery of an event to the webhook endpoint: when, its answer (null on a network error) and what happened.</summary>
public sealed record DeliveryAttempt(DateTimeOffset At, int? Status, string Outcome);
