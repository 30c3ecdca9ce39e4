namespace Provisioning.StripeEvents;

/// <summary>A <c>checkout.session.completed</c> event's session: its metadata as sent (not yet validated) and its links.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.StripeEvents.CheckoutCompleted")]
public sealed record CheckoutCompleted(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string? AgentId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] string? Region,
    [property: Id(4)] string? SubscriptionId,
    [property: Id(5)] string? CustomerId,
    [property: Id(6)] string? PaymentStatus);
