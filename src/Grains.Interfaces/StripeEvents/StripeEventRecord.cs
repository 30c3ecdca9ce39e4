namespace Provisioning.StripeEvents;

/// <summary>
/// A Stripe event as the inbox holds it: its identity, when it was received, what it leads to (<c>job-created</c>,
/// <c>subscription-updated</c>, <c>ignored: &lt;reason&gt;</c> or <c>duplicate of &lt;event id&gt;</c>, decided from the
/// event alone) and whether that has been carried out (<see cref="ProcessedAt"/>).
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
    [property: Id(7)] string? SubscriptionId,
    [property: Id(8)] string? DuplicateOf,
    [property: Id(9)] DateTimeOffset? ProcessedAt,
    [property: Id(10)] int Attempts,
    [property: Id(11)] string? LastError);

/// <summary>The record of an event and whether this delivery was a redelivery of one already stored.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.StripeEventReceipt")]
public sealed record StripeEventReceipt(
    [property: Id(0)] StripeEventRecord Record,
    [property: Id(1)] bool Duplicate);
