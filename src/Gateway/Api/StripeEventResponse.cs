using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Api;

/// <summary>The body of <c>GET /api/stripe/events/{eventId}</c>: <c>outcome</c> is <c>job-created</c>, <c>subscription-updated</c> or <c>ignored: &lt;reason&gt;</c>.</summary>
public sealed record StripeEventResponse(
    string EventId,
    string Type,
    DateTimeOffset Created,
    bool Livemode,
    DateTimeOffset ReceivedAt,
    string Outcome,
    string? JobId,
    string? SubscriptionId)
{
    public static StripeEventResponse From(StripeEventRecord r) =>
        new(r.EventId, r.Type, r.Created, r.Livemode, r.ReceivedAt, r.Outcome, r.JobId, r.SubscriptionId);
}
