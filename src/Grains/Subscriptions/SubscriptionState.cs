namespace Provisioning.Grains.Subscriptions;

[GenerateSerializer]
public sealed class SubscriptionState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string? Status { get; set; }
    [Id(2)] public string? CustomerId { get; set; }
    [Id(3)] public string? PriceId { get; set; }
    [Id(4)] public DateTimeOffset? CurrentPeriodEnd { get; set; }
    [Id(5)] public bool CancelAtPeriodEnd { get; set; }
    [Id(6)] public string? LastPaymentOutcome { get; set; }
    [Id(7)] public DateTimeOffset? LastPaymentAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public string LastEventId { get; set; } = "";

    /// <summary>The newest subscription event applied so far (creation time, then id): older ones change nothing.</summary>
    [Id(10)] public EventPosition? SubscriptionPosition { get; set; }

    /// <summary>The newest invoice event applied so far.</summary>
    [Id(11)] public EventPosition? PaymentPosition { get; set; }
}

/// <summary>Where an event stands in Stripe's order: its creation time, then its id to break ties.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Grains.Subscriptions.EventPosition")]
public sealed record EventPosition([property: Id(0)] DateTimeOffset Created, [property: Id(1)] string EventId)
{
    public bool IsNewerThan(EventPosition? other) =>
        other is null || Created > other.Created || (Created == other.Created && string.CompareOrdinal(EventId, other.EventId) > 0);
}
