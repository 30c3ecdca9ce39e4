namespace Provisioning.Gateway.Webhooks;

/// <summary>
/// The 200 answer to a Stripe delivery, given only once the event's record (and the job or subscription it led to) is
/// durable. <see cref="Outcome"/> is <c>job-created</c>, <c>subscription-updated</c> or <c>ignored: &lt;reason&gt;</c>;
/// <see cref="Duplicate"/> is true when an earlier delivery of the same event was already recorded.
/// </summary>
public sealed record StripeWebhookReceipt(
    bool Received,
    string EventId,
    string Type,
    string Outcome,
    bool Duplicate,
    string? JobId,
    string? SubscriptionId);
