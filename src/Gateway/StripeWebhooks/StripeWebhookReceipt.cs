namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>
/// The 200 answer to a Stripe delivery, given once the event is durably stored in the inbox. <see cref="Outcome"/> is
/// <c>job-created</c>, <c>subscription-updated</c>, <c>ignored: &lt;reason&gt;</c> or <c>duplicate of &lt;event id&gt;</c>
/// (a second Event object for a checkout session that already has its job: <see cref="DuplicateOf"/> names the first
/// event and <see cref="JobId"/> its job); <see cref="Duplicate"/> is true when this event id was already stored.
/// </summary>
public sealed record StripeWebhookReceipt(
    bool Received,
    string EventId,
    string Type,
    string Outcome,
    bool Duplicate,
    string? JobId,
    string? SubscriptionId,
    string? DuplicateOf);
