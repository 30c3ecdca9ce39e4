namespace Provisioning.StripeEvents;

/// <summary>
/// What a subscription or invoice event says about one subscription. Null fields are not known from this event
/// and leave the stored value alone. <see cref="PaymentOutcome"/> is <c>paid</c> or <c>failed</c> for invoice events.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.SubscriptionChange")]
public sealed record SubscriptionChange(
    [property: Id(0)] string SubscriptionId,
    [property: Id(1)] string? Status,
    [property: Id(2)] string? CustomerId,
    [property: Id(3)] string? PriceId,
    [property: Id(4)] DateTimeOffset? CurrentPeriodEnd,
    [property: Id(5)] bool? CancelAtPeriodEnd,
    [property: Id(6)] string? PaymentOutcome);
