namespace Provisioning.StripeEvents;

/// <summary>
/// A Stripe event as recorded, once: its identity, when it was received, and what it led to:
/// <c>job-created</c>, <c>subscription-updated</c> or <c>ignored: &lt;reason&gt;</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.StripeEventRecord")]
public sealed record StripeEventRecord(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] bool Livemode,
    [property: Id(4)] DateTimeOffset ReceivedAt,
    [property: Id(5)] string Outcome,
    [property: Id(6)] string? JobId,
    [property: Id(7)] string? SubscriptionId);

/// <summary>The record of an event and whether this delivery was a duplicate of one already recorded.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.StripeEventReceipt")]
public sealed record StripeEventReceipt(
    [property: Id(0)] StripeEventRecord Record,
    [property: Id(1)] bool Duplicate);
