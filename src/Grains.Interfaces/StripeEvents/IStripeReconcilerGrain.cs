namespace Provisioning.StripeEvents;

/// <summary>
/// Reconciles the inbox with Stripe's Events API: one activation for the cluster (key 0), so one pass runs at a time.
/// A durable reminder runs a pass every <c>Stripe:ReconcileInterval</c> while a Stripe API key is configured.
/// </summary>
[Alias("Provisioning.StripeEvents.IStripeReconcilerGrain")]
public interface IStripeReconcilerGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the reminder when reconciliation is on (removes it when off); idempotent.</summary>
    [Alias("StartAsync")]
    Task StartAsync();

    /// <summary>
    /// Runs a pass now and answers its record. <paramref name="since"/> lists from that time instead of the stored
    /// checkpoint (an operator's look back); such a pass leaves the checkpoint as it is.
    /// </summary>
    [Alias("ReconcileAsync")]
    Task<ReconciliationPassRecord> ReconcileAsync(DateTimeOffset? since);

    /// <summary>Whether reconciliation is on, its checkpoint, the webhook endpoint's last known status and the latest passes.</summary>
    [Alias("GetStatusAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task<ReconciliationStatus> GetStatusAsync();
}
