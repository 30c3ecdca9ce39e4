namespace Provisioning.StripeEvents;

/// <summary>
/// The parts of a verified Stripe event that the service acts on. The gateway reads them from the raw event;
/// at most one of <see cref="Checkout"/> and <see cref="Subscription"/> is set, by event type.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.StripeEventEnvelope")]
public sealed record StripeEventEnvelope(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] bool Livemode,
    [property: Id(4)] string? ApiVersion,
    [property: Id(5)] CheckoutCompleted? Checkout,
    [property: Id(6)] SubscriptionChange? Subscription,
    [property: Id(7)] string? ObjectId);
