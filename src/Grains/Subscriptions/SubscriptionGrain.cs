using Provisioning.StripeEvents;
using Provisioning.Subscriptions;

namespace Provisioning.Grains.Subscriptions;

/// <summary>A Stripe subscription (key: its id), kept as the newest events describe it, whatever order they arrive in.</summary>
public sealed class SubscriptionGrain(
    [PersistentState("subscription", ProvisioningStorage.Name)] IPersistentState<SubscriptionState> state,
    TimeProvider time) : Grain, ISubscriptionGrain
{
    public async Task<SubscriptionSnapshot> ApplyAsync(string eventId, DateTimeOffset eventCreated, SubscriptionChange change)
    {
        var s = state.State;
        var position = new EventPosition(eventCreated, eventId);
        var changed = false;

        // The customer of a subscription never changes: fill it in from any event, in any order.
        if (s.CustomerId is null && change.CustomerId is not null)
        {
            s.CustomerId = change.CustomerId;
            changed = true;
        }

        var describesSubscription = change.Status is not null || change.PriceId is not null
            || change.CurrentPeriodEnd is not null || change.CancelAtPeriodEnd is not null;
        if (describesSubscription && position.IsNewerThan(s.SubscriptionPosition))
        {
            s.Status = change.Status ?? s.Status;
            s.PriceId = change.PriceId ?? s.PriceId;
            s.CurrentPeriodEnd = change.CurrentPeriodEnd ?? s.CurrentPeriodEnd;
            s.CancelAtPeriodEnd = change.CancelAtPeriodEnd ?? s.CancelAtPeriodEnd;
            s.SubscriptionPosition = position;
            changed = true;
        }

        if (change.PaymentOutcome is not null && position.IsNewerThan(s.PaymentPosition))
        {
            s.LastPaymentOutcome = change.PaymentOutcome;
            s.LastPaymentAt = eventCreated;
            s.PaymentPosition = position;
            changed = true;
        }

        if (changed || !s.Exists)
        {
            s.Exists = true;
            s.UpdatedAt = time.GetUtcNow();
            s.LastEventId = eventId;
            await state.WriteOrReloadAsync(this);
        }

        return Snapshot()!;
    }

    public Task<SubscriptionSnapshot?> GetAsync() => Task.FromResult(Snapshot());

    private SubscriptionSnapshot? Snapshot()
    {
        var s = state.State;
        return s.Exists
            ? new SubscriptionSnapshot(this.GetPrimaryKeyString(), s.Status, s.CustomerId, s.PriceId, s.CurrentPeriodEnd,
                s.CancelAtPeriodEnd, s.LastPaymentOutcome, s.LastPaymentAt, s.UpdatedAt, s.LastEventId)
            : null;
    }
}
