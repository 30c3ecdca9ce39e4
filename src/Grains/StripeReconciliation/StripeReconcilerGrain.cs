using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeReconciliation;

/// <summary>
/// The cluster's one reconciler (key 0): a non-reentrant grain, so passes never overlap. A durable reminder runs a pass
/// every <see cref="StripeReconciliationOptions.ReconcileInterval"/>; after a failed pass a one-off timer tries again after
/// the back-off (Stripe's <c>Retry-After</c> when it gave one), and the reminder is the safety net if this silo dies.
/// </summary>
public sealed partial class StripeReconcilerGrain(
    ReconciliationRunner runner,
    ReconciliationStore store,
    IOptions<StripeReconciliationOptions> options,
    ILogger<StripeReconcilerGrain> logger) : Grain, IStripeReconcilerGrain, IRemindable
{
    public const string ReminderName = "stripe-reconcile";

    public const string OffReason = "Stripe:ApiKey (or STRIPE_SECRET_KEY) is not set";

    private IGrainTimer? _retry;
    private int _failures;

    public async Task StartAsync()
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        // Registered once: re-registering at every silo start would push the next pass back each time (rolling deploys).
        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, settings.ReconcileInterval, settings.ReconcileInterval);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (!options.Value.Enabled)
        {
            await StartAsync();
            return;
        }

        if (status.Period != options.Value.ReconcileInterval)
        {
            // Stripe:ReconcileInterval changed since the reminder was registered.
            await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReconcileInterval, options.Value.ReconcileInterval);
        }

        await RunAsync("reminder", null);
    }

    public Task<ReconciliationPassRecord> ReconcileAsync(DateTimeOffset? since)
    {
        if (!options.Value.Enabled)
        {
            throw new InvalidOperationException($"Stripe reconciliation is off: {OffReason}.");
        }

        return RunAsync("operator", since);
    }

    public async Task<ReconciliationStatus> GetStatusAsync()
    {
        var settings = options.Value;
        var stored = await store.GetCheckpointAsync();
        var passes = await store.RecentPassesAsync(10);
        return new ReconciliationStatus(
            settings.Enabled, settings.Enabled ? null : OffReason, settings.ReconcileInterval, stored.Checkpoint,
            settings.WebhookEndpointId, settings.WebhookEndpointId is null ? null : stored.EndpointStatus, passes);
    }

    private async Task<ReconciliationPassRecord> RunAsync(string trigger, DateTimeOffset? since)
    {
        _retry?.Dispose();
        _retry = null;
        var pass = await runner.RunAsync(trigger, since, _failures, CancellationToken.None);
        if (pass.Error is null)
        {
            _failures = 0;
        }
        else if (pass.RetryAfter is { } wait)
        {
            _failures++;
            LogRetryScheduled(logger, pass.PassId, wait);
            _retry = this.RegisterGrainTimer(
                static (grain, _) => grain.RunAsync("retry", null),
                this,
                new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }

        return pass;
    }

    [LoggerMessage(EventId = 2310, Level = LogLevel.Information, Message = "Stripe reconciliation pass {PassId} failed; next try in {Wait}")]
    private static partial void LogRetryScheduled(ILogger logger, long passId, TimeSpan wait);
}
