using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Grains.Jobs;
using Provisioning.Jobs;
using Provisioning.StripeEvents;
using Provisioning.Subscriptions;

namespace Provisioning.Grains.StripeEvents;

/// <summary>
/// One Stripe event (key: its id). The first delivery routes it and records the outcome; the record is written last,
/// after everything the event caused is durable, so a failure anywhere leaves nothing recorded and Stripe's retry
/// routes it again (every route is idempotent). Later deliveries answer from the record. It is placed on the silo whose
/// gateway received the delivery (prefer-local), and the job and user grains it leads to follow it there, so a delivery is
/// handled where it arrived.
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

        if (state.State.Record is { } recorded)
        {
            LogDuplicate(logger, recorded.EventId, recorded.Outcome);
            return new StripeEventReceipt(recorded, Duplicate: true);
        }

        var (outcome, jobId, subscriptionId) = await RouteAsync(stripeEvent);
        state.State.Record = new StripeEventRecord(
            stripeEvent.EventId, stripeEvent.Type, stripeEvent.Created, stripeEvent.Livemode, time.GetUtcNow(),
            outcome, jobId, subscriptionId);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            // Not durable: forget it, so the redelivery routes the event again instead of answering from memory.
            state.State.Record = null;
            throw;
        }

        LogRecorded(logger, stripeEvent.EventId, stripeEvent.Type, outcome);
        return new StripeEventReceipt(state.State.Record, Duplicate: false);
    }

    public Task<StripeEventRecord?> GetAsync() => Task.FromResult(state.State.Record);

    private async Task<(string Outcome, string? JobId, string? SubscriptionId)> RouteAsync(StripeEventEnvelope e)
    {
        switch (e.Type)
        {
            case "checkout.session.completed" or "checkout.session.async_payment_succeeded" when e.Checkout is { } checkout:
                var (job, ignoredBecause) = CheckoutMetadata.Read(e.EventId, e.Created, checkout, jobsOptions.Value);
                if (checkout.SubscriptionId is { Length: > 0 } linked)
                {
                    await ApplyToSubscriptionAsync(e, new SubscriptionChange(linked, null, checkout.CustomerId, null, null, null, null));
                }

                if (job is null)
                {
                    return ($"ignored: {ignoredBecause}", null, checkout.SubscriptionId);
                }

                await GrainFactory.GetGrain<IProvisioningJobGrain>(job.JobId).CreateAsync(job);
                return (JobCreated, job.JobId, checkout.SubscriptionId);

            case "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted"
                or "invoice.paid" or "invoice.payment_failed":
                if (e.Subscription is not { SubscriptionId.Length: > 0 } change)
                {
                    return ($"ignored: {e.Type} names no subscription", null, null);
                }

                await ApplyToSubscriptionAsync(e, change);
                return (SubscriptionUpdated, null, change.SubscriptionId);

            default:
                return ($"ignored: event type {e.Type} is not handled", null, null);
        }
    }

    private Task ApplyToSubscriptionAsync(StripeEventEnvelope e, SubscriptionChange change) =>
        GrainFactory.GetGrain<ISubscriptionGrain>(change.SubscriptionId).ApplyAsync(e.EventId, e.Created, change);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Stripe event {EventId} ({Type}) recorded: {Outcome}")]
    private static partial void LogRecorded(ILogger logger, string eventId, string type, string outcome);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Stripe event {EventId} delivered again; first outcome {Outcome}")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string outcome);
}
