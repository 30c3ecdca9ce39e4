using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Grains.Jobs;
using Provisioning.Jobs;
using Provisioning.StripeEvents;
using Provisioning.Subscriptions;

namespace Provisioning.Grains.StripeEvents;

/// <summary>
/// One Stripe event (key: its id). The first delivery decides the outcome, then writes the record and routes the event
/// side by side, so the webhook waits for the longer of the two instead of both; it is answered only once both are
/// durable. If either fails the delivery fails, the activation is dropped, and Stripe's retry comes back: every route is
/// idempotent, and a later delivery routes again even when it finds the record (the record may have been written while
/// the route failed), then answers from the record. It is placed on the silo whose gateway received the delivery
/// (prefer-local), and the job and user grains it leads to follow it there, so a delivery is handled where it arrived.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class StripeEventGrain(
    [PersistentState("stripe-event", ProvisioningStorage.Name)] IPersistentState<StripeEventState> state,
    IOptions<JobsOptions> jobsOptions,
    TimeProvider time,
    ILogger<StripeEventGrain> logger) : Grain, IStripeEventGrain
{
    public const string JobCreated = "job-created";
    public const string SubscriptionUpdated = "subscription-updated";

    public async Task<StripeEventReceipt> RecordAsync(StripeEventEnvelope stripeEvent)
    {
        if (stripeEvent.EventId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Event id {stripeEvent.EventId} does not match the grain key.", nameof(stripeEvent));
        }

        var (outcome, jobId, subscriptionId, routeAsync) = Route(stripeEvent);
        if (state.State.Record is { } recorded)
        {
            await routeAsync();
            LogDuplicate(logger, recorded.EventId, recorded.Outcome);
            return new StripeEventReceipt(recorded, Duplicate: true);
        }

        state.State.Record = new StripeEventRecord(
            stripeEvent.EventId, stripeEvent.Type, stripeEvent.Created, stripeEvent.Livemode, time.GetUtcNow(),
            outcome, jobId, subscriptionId);
        try
        {
            await Task.WhenAll(state.WriteStateAsync(), routeAsync());
        }
        catch (Exception)
        {
            // Not known to be durable: the next delivery reactivates the grain from storage and routes the event again.
            state.State.Record = null;
            DeactivateOnIdle();
            throw;
        }

        LogRecorded(logger, stripeEvent.EventId, stripeEvent.Type, outcome);
        return new StripeEventReceipt(state.State.Record, Duplicate: false);
    }

    public Task<StripeEventRecord?> GetAsync() => Task.FromResult(state.State.Record);

    /// <summary>What the event leads to (decided from the event alone) and the idempotent calls that carry it out.</summary>
    private (string Outcome, string? JobId, string? SubscriptionId, Func<Task> RouteAsync) Route(StripeEventEnvelope e)
    {
        switch (e.Type)
        {
            case "checkout.session.completed" or "checkout.session.async_payment_succeeded" when e.Checkout is { } checkout:
                var (job, ignoredBecause) = CheckoutMetadata.Read(e.EventId, e.Created, checkout, jobsOptions.Value);
                var linked = checkout.SubscriptionId is { Length: > 0 } id ? id : null;
                async Task RouteCheckoutAsync()
                {
                    if (linked is not null)
                    {
                        await ApplyToSubscriptionAsync(e, new SubscriptionChange(linked, null, checkout.CustomerId, null, null, null, null));
                    }

                    if (job is not null)
                    {
                        await GrainFactory.GetGrain<IProvisioningJobGrain>(job.JobId).CreateAsync(job);
                    }
                }

                return job is null
                    ? ($"ignored: {ignoredBecause}", null, checkout.SubscriptionId, RouteCheckoutAsync)
                    : (JobCreated, job.JobId, checkout.SubscriptionId, RouteCheckoutAsync);

            case "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted"
                or "invoice.paid" or "invoice.payment_failed":
                if (e.Subscription is not { SubscriptionId.Length: > 0 } change)
                {
                    return ($"ignored: {e.Type} names no subscription", null, null, () => Task.CompletedTask);
                }

                return (SubscriptionUpdated, null, change.SubscriptionId, () => ApplyToSubscriptionAsync(e, change));

            default:
                return ($"ignored: event type {e.Type} is not handled", null, null, () => Task.CompletedTask);
        }
    }

    private Task ApplyToSubscriptionAsync(StripeEventEnvelope e, SubscriptionChange change) =>
        GrainFactory.GetGrain<ISubscriptionGrain>(change.SubscriptionId).ApplyAsync(e.EventId, e.Created, change);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Stripe event {EventId} ({Type}) recorded: {Outcome}")]
    private static partial void LogRecorded(ILogger logger, string eventId, string type, string outcome);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Stripe event {EventId} delivered again; first outcome {Outcome}")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string outcome);
}
