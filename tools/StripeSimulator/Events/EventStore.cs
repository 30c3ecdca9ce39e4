using System.Text.Json.Nodes;

namespace Provisioning.StripeSimulator.Events;

/// <summary>The events the simulator holds, newest first as Stripe lists them. Thread-safe.</summary>
public sealed class EventStore
{
    private readonly Lock _lock = new();
    private readonly List<StoredEvent> _events = [];
    private long _sequence;

    /// <summary>Adds an event (Stripe's event object); answers null when an event with its id is already held.</summary>
    public StoredEvent? Add(JsonObject stripeEvent)
    {
        var id = (string)stripeEvent["id"]!;
        lock (_lock)
        {
            if (_events.Any(e => e.Id == id))
            {
                return null;
            }

            var stored = new StoredEvent(id, (string)stripeEvent["type"]!, (long)stripeEvent["created"]!, ++_sequence, stripeEvent.ToJsonString());
            _events.Add(stored);
            return stored;
        }
    }

    public StoredEvent? Get(string id)
    {
        lock (_lock)
        {
            return _events.FirstOrDefault(e => e.Id == id);
        }
    }

    /// <summary>Every event, newest first.</summary>
    public IReadOnlyList<StoredEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events.OrderByDescending(e => e.Created).ThenByDescending(e => e.Sequence)];
        }
    }

    public void Record(StoredEvent stored, DeliveryAttempt attempt)
    {
        lock (_lock)
        {
            stored.Deliveries.Add(attempt);
            stored.Delivered |= attempt.Status is >= 200 and < 300;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _events.Clear();
        }
    }
}
