using Provisioning.Subscriptions;

namespace Provisioning.Gateway.Api;

/// <summary>The body of <c>GET /api/subscriptions/{subscriptionId}</c>.</summary>
public sealed record SubscriptionResponse(
    string SubscriptionId,
    string? Status,
    string? CustomerId,
    string? PriceId,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    string? LastPaymentOutcome,
    DateTimeOffset? LastPaymentAt,
    DateTimeOffset UpdatedAt,
    string LastEventId)
{
    public static SubscriptionResponse From(SubscriptionSnapshot s) => new(
        s.SubscriptionId, s.Status, s.CustomerId, s.PriceId, s.CurrentPeriodEnd, s.CancelAtPeriodEnd,
        s.LastPaymentOutcome, s.LastPaymentAt, s.UpdatedAt, s.LastEventId);
}
