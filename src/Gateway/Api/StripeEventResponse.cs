using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Api;

/// <summary>
/// The body of <c>GET /api/stripe/events/{eventId}</c>, read from the inbox: <c>outcome</c> is <c>job-created</c>,
/// <c>subscription-updated</c>, <c>ignored: &lt;reason&gt;</c> or <c>duplicate of &lt;event id&gt;</c> (then
/// <c>duplicateOf</c> names that event); <c>processed</c> says whether what it leads to has been carried out.
/// </summary>
public sealed record StripeEventResponse(
    string EventId,
    string Type,
    DateTimeOffset Created,
    bool Livemode,
    DateTimeOffset ReceivedAt,
    string Outcome,
    string? JobId,
    string? SubscriptionId,
    string? DuplicateOf,
    bool Processed,
    DateTimeOffset? ProcessedAt,
    int ProcessAttempts,
    string? LastError)
{
    public static StripeEventResponse From(StripeEventRecord r) =>
        new(r.EventId, r.Type, r.Created, r.Livemode, r.ReceivedAt, r.Outcome, r.JobId, r.SubscriptionId, r.DuplicateOf,
            r.ProcessedAt is not null, r.ProcessedAt, r.Attempts, r.LastError);
}
