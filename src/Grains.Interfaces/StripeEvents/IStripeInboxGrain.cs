namespace Provisioning.StripeEvents;

/// <summary>
/// The Stripe inbox, reached on the silo that takes the call: verified events are appended to it (a 200 to Stripe means
/// the append committed), and each stored event is then handed to the grains it leads to, exactly once in effect.
/// </summary>
[Alias("Provisioning.StripeEvents.IStripeInboxGrain")]
public interface IStripeInboxGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Stores the event (<paramref name="body"/>: the verified raw body) unless the unprocessed backlog is past its bound,
    /// and answers once the row is durable, or with the backlog that refused it (nothing written). A redelivery answers
    /// the stored record with <c>Duplicate</c> set. Throws when the append is not known to be durable.
    /// </summary>
    [Alias("AppendAsync")]
    Task<StripeInboxAnswer> AppendAsync(StripeEventEnvelope stripeEvent, byte[] body);

    /// <summary>The stored event, or null if it was never received.</summary>
    [Alias("GetAsync")]
    Task<StripeEventRecord?> GetAsync(string eventId);

    /// <summary>Carries out the stored event now if it is not processed yet, then answers its record (null if never received).</summary>
    [Alias("ProcessAsync")]
    Task<StripeEventRecord?> ProcessAsync(string eventId);

    /// <summary>The unprocessed backlog as this silo last measured it.</summary>
    [Alias("GetBacklogAsync")]
    Task<InboxBacklog> GetBacklogAsync();
}

/// <summary>
/// Keys of the inbox's entry points. An Orleans client sends every call for one grain through the same silo's gateway
/// connection, so each delivery picks one of several keys: deliveries spread over all the silos the gateway is connected
/// to, and a delivery that failed because one silo went silent is retried, with another key, most likely through another.
/// </summary>
public static class StripeInboxKeys
{
    public const int Count = 64;

    public static long ForDelivery() => Random.Shared.Next(Count);
}
