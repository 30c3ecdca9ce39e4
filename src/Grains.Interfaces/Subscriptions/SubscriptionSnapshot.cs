namespace Provisioning.Subscriptions;

/// <summary>A subscription as the newest Stripe events describe it.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Subscriptions.SubscriptionSnapshot")]
public sealed record SubscriptionSnapshot(
    [property: Id(0)] string SubscriptionId,
    [property: Id(1)] string? Status,
    [property: Id(2)] string? CustomerId,
    [property: Id(3)] string? PriceId,
    [property: Id(4)] DateTimeOffset? CurrentPeriodEnd,
    [property: Id(5)] bool CancelAtPeriodEnd,
    [property: Id(6)] string? LastPaymentOutcome,
    [property: Id(7)] DateTimeOffset? LastPaymentAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] string LastEventId);
