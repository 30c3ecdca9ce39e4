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
