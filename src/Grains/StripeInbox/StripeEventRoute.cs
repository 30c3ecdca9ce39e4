using Provisioning.Grains.Jobs;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeInbox;

/// <summary>
/// What a Stripe event leads to, decided from the event alone when it enters the inbox: its outcome as stored and
/// answered, and the work that processing it carries out (null when there is none). Pure, so it can be tested without a cluster.
/// </summary>
public readonly record struct StripeEventRoute(string Outcome, string? JobId, string? SubscriptionId, string? CheckoutSessionId, InboxWork? Work)
{
    public const string JobCreated = "job-created";
    public const string SubscriptionUpdated = "subscription-updated";

    /// <summary>The event types that lead to work; any other type is stored as ignored.</summary>
    public static readonly IReadOnlyList<string> HandledTypes =
    [
        "checkout.session.completed", "checkout.session.async_payment_succeeded",
        "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
        "invoice.paid", "invoice.payment_failed",
    ];

    /// <summary>Whether this event claims its checkout session's one job.</summary>
    public bool CreatesJob => Work?.Job is not null;

    public static StripeEventRoute Decide(StripeEventEnvelope e, JobsOptions options)
    {
        var session = e.Checkout?.SessionId ?? (e.Type.StartsWith("checkout.session.", StringComparison.Ordinal) ? e.ObjectId : null);
        switch (e.Type)
        {
            case "checkout.session.completed" or "checkout.session.async_payment_succeeded" when e.Checkout is { } checkout:
                var (job, ignoredBecause) = CheckoutMetadata.Read(e.EventId, e.Created, checkout, options);
                var linked = checkout.SubscriptionId is { Length: > 0 } id
                    ? new SubscriptionChange(id, null, checkout.CustomerId, null, null, null, null)
                    : null;
                var work = job is null && linked is null ? null : new InboxWork(job, linked);
                return job is null
                    ? new($"ignored: {ignoredBecause}", null, checkout.SubscriptionId, session, work)
                    : new(JobCreated, job.JobId, checkout.SubscriptionId, session, work);

            case "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted"
                or "invoice.paid" or "invoice.payment_failed":
                return e.Subscription is { SubscriptionId.Length: > 0 } change
                    ? new(SubscriptionUpdated, null, change.SubscriptionId, null, new InboxWork(null, change))
                    : new($"ignored: {e.Type} names no subscription", null, null, null, null);

            default:
                return new($"ignored: event type {e.Type} is not handled", null, null, session, null);
        }
    }
}
