namespace Provisioning.StripeEvents;

/// <summary>An append's answer: the receipt of the stored event, or the backlog that refused it before anything was written.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.StripeInboxAnswer")]
public sealed record StripeInboxAnswer(
    [property: Id(0)] StripeEventReceipt? Receipt,
    [property: Id(1)] InboxBacklog? RefusedBy);

/// <summary>
/// Events stored but not processed yet, the age of the oldest one, the bound past which deliveries are refused, and when
/// it was measured.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.InboxBacklog")]
public sealed record InboxBacklog(
    [property: Id(0)] long Events,
    [property: Id(1)] TimeSpan OldestAge,
    [property: Id(2)] long Bound,
    [property: Id(3)] DateTimeOffset MeasuredAt)
{
    public bool IsFull => Events >= Bound;
}
