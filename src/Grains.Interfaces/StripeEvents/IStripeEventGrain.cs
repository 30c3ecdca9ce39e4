namespace Provisioning.StripeEvents;

/// <summary>One Stripe event, keyed by its id: recorded and routed once, however often Stripe delivers it.</summary>
[Alias("Provisioning.StripeEvents.IStripeEventGrain")]
public interface IStripeEventGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records and routes the event the first time; later deliveries return the first outcome with <c>Duplicate</c> set.
    /// Returns only once everything the event caused is durable; throws if storage is unavailable.
    /// </summary>
    [Alias("RecordAsync")]
    Task<StripeEventReceipt> RecordAsync(StripeEventEnvelope stripeEvent);

    /// <summary>The recorded event, or null if it was never received.</summary>
    [Alias("GetAsync")]
    Task<StripeEventRecord?> GetAsync();
}
