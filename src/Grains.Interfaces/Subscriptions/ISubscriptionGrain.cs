using Provisioning.StripeEvents;

namespace Provisioning.Subscriptions;

/// <summary>A Stripe subscription, keyed by its id. Stripe does not deliver in order: an older event never overwrites newer state.</summary>
[Alias("Provisioning.Subscriptions.ISubscriptionGrain")]
public interface ISubscriptionGrain : IGrainWithStringKey
{
    /// <summary>Applies what the event says if it is newer than what the subscription already knows (by event creation time, then id).</summary>
    [Alias("ApplyAsync")]
    Task<SubscriptionSnapshot> ApplyAsync(string eventId, DateTimeOffset eventCreated, SubscriptionChange change);

    /// <summary>The subscription, or null if no event ever named it.</summary>
    [Alias("GetAsync")]
    Task<SubscriptionSnapshot?> GetAsync();
}
