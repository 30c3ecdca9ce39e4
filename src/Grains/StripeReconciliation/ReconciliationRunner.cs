using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Grains.Jobs;
using Provisioning.Grains.StripeInbox;
using Provisioning.StripeEvents;
using Stripe;

namespace Provisioning.Grains.StripeReconciliation;

/// <summary>
/// One reconciliation pass. It lists the handled event types whose delivery has not succeeded, created from the
/// checkpoint minus the overlap up to the pass's start (or from an operator's <c>since</c>), and appends each event the
/// inbox does not hold through the inbox's own idempotent append, marked <c>reconciliation</c>, then processes it as a
/// delivered one. Progress is stored after each event: a pass that fails or dies is continued by the next one, over the
/// same window, after the last event it reconciled; the checkpoint moves only when the window is done.
/// </summary>
public sealed partial class ReconciliationRunner(
    ReconciliationStore store,
    StripeEventSource source,
    StripeInbox.StripeInbox inbox,
    StripeInboxProcessor processor,
    ReconciliationTelemetry telemetry,
    IOptions<StripeReconciliationOptions> options,
    IOptions<JobsOptions> jobsOptions,
    IOptions<StripeInboxOptions> inboxOptions,
    TimeProvider time,
    ILogger<ReconciliationRunner> logger)
{
    public const string InboxSource = "reconciliation";

    /// <summary>
    /// Runs a pass. <paramref name="since"/>: an operator's look back, which leaves the checkpoint alone.
    /// <paramref name="failuresBefore"/>: failed passes just before this one, for the back-off after a failure.
    /// </summary>
    public async Task<ReconciliationPassRecord> RunAsync(string trigger, DateTimeOffset? since, int failuresBefore, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var stored = await store.GetCheckpointAsync(cancellationToken);
        var (window, resumed) = Window(stored, since, now, settings);
        var movesCheckpoint = since is null;
        if (movesCheckpoint && !resumed)
        {
            await store.SaveProgressAsync(window, cancellationToken);
        }

        var pass = await store.SavePassAsync(
            new ReconciliationPassRecord(0, now, null, trigger, window.Since, window.Until, 0, 0, 0, resumed, null, null, null), cancellationToken);
        LogPassStarted(logger, pass.PassId, trigger, window.Since, window.Until, window.Cursor);

        var endpointStatus = await ReadEndpointAsync(settings, cancellationToken);
        int listed = 0, present = 0, recovered = 0;
        string? error = null;
        TimeSpan? retryAfter = null;
        try
        {
            await foreach (var listedEvent in source.ListAsync(window, cancellationToken))
            {
                listed++;
                if (await ReconcileAsync(listedEvent))
                {
                    recovered++;
                }
                else
                {
                    present++;
                }

                if (movesCheckpoint)
                {
                    await store.SaveProgressAsync(window with { Cursor = listedEvent.Id }, cancellationToken);
                }
            }

            if (movesCheckpoint)
            {
                await store.CompleteAsync(window.Until, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = Describe(ex);
            var backoff = settings.ReconcileRetryDelay * Math.Pow(2, Math.Min(failuresBefore, 16));
            retryAfter = (ex is StripeException stripe ? StripeEventSource.RetryAfter(stripe) : null)
                ?? (backoff < settings.ReconcileInterval ? backoff : settings.ReconcileInterval);
            LogPassFailed(logger, pass.PassId, error, retryAfter.Value);
        }

        telemetry.Pass(error is null);
        var finished = pass with
        {
            FinishedAt = time.GetUtcNow(), Listed = listed, AlreadyPresent = present, Recovered = recovered,
            EndpointStatus = endpointStatus, Error = error, RetryAfter = retryAfter,
        };
        finished = await store.SavePassAsync(finished, CancellationToken.None);
        LogPassFinished(logger, pass.PassId, listed, present, recovered, error ?? "none");
        return finished;
    }

    /// <summary>The window to list: an operator's, an unfinished pass's, or from the checkpoint (minus the overlap) to now.</summary>
    public static (ReconciliationWindow Window, bool Resumed) Window(
        ReconciliationCheckpoint stored, DateTimeOffset? since, DateTimeOffset now, StripeReconciliationOptions settings)
    {
        if (since is { } from)
        {
            return (new ReconciliationWindow(from, now, null), false);
        }

        if (stored.Pending is { } pending)
        {
            return (pending, true);
        }

        var start = stored.Checkpoint is { } checkpoint ? checkpoint - settings.ReconcileOverlap : now - settings.ReconcileFirstLookBack;
        var oldest = now - StripeReconciliationOptions.StripeRetention;
        return (new ReconciliationWindow(start < oldest ? oldest : start, now, null), false);
    }

    /// <summary>Appends the event unless the inbox holds it, then processes it; true when this pass recovered it.</summary>
    private async Task<bool> ReconcileAsync(ListedEvent listed)
    {
        var (envelope, problem, _) = StripeEventReader.Read(listed.Json);
        if (envelope is null)
        {
            LogUnreadable(logger, listed.Id, problem ?? "unknown");
            return false;
        }

        var route = StripeEventRoute.Decide(envelope, jobsOptions.Value);
        var (record, duplicate) = await inbox.AppendAsync(envelope, listed.Json, route, InboxSource, inboxOptions.Value.HandOverLease);
        telemetry.Event(!duplicate);
        if (duplicate)
        {
            return false;
        }

        LogRecovered(logger, record.EventId, record.Type, record.Outcome);
        if (record.ProcessedAt is null && route.Work is { } work)
        {
            await processor.ProcessAsync(new InboxEntry(record.EventId, record.Created, work));
        }

        return true;
    }

    /// <summary>Reads the webhook endpoint's status when one is configured; a failed read is logged and does not stop the pass.</summary>
    private async Task<string?> ReadEndpointAsync(StripeReconciliationOptions settings, CancellationToken cancellationToken)
    {
        if (settings.WebhookEndpointId is not { Length: > 0 } endpointId)
        {
            return null;
        }

        try
        {
            var status = await source.GetEndpointStatusAsync(endpointId, cancellationToken);
            telemetry.EndpointStatus(status);
            await store.SaveEndpointStatusAsync(status, cancellationToken);
            if (status == "disabled")
            {
                LogEndpointDisabled(logger, endpointId);
            }

            return status;
        }
        catch (StripeException ex)
        {
            LogEndpointUnread(logger, endpointId, Describe(ex));
            return null;
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        StripeException stripe when (int)stripe.HttpStatusCode == 429 => $"Stripe rate limit (429): {stripe.Message}",
        StripeException stripe when stripe.HttpStatusCode != 0 => $"Stripe error {(int)stripe.HttpStatusCode}: {stripe.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Stripe reconciliation pass {PassId} ({Trigger}): events created {Since:o} to {Until:o}, after {Cursor}")]
    private static partial void LogPassStarted(ILogger logger, long passId, string trigger, DateTimeOffset since, DateTimeOffset until, string? cursor);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Stripe reconciliation pass {PassId}: {Listed} listed, {AlreadyPresent} already in the inbox, {Recovered} recovered; error: {Error}")]
    private static partial void LogPassFinished(ILogger logger, long passId, int listed, int alreadyPresent, int recovered, string error);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Stripe reconciliation pass {PassId} failed: {Error}; the checkpoint is kept and the next try in {RetryAfter} continues where it stopped")]
    private static partial void LogPassFailed(ILogger logger, long passId, string error, TimeSpan retryAfter);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Stripe event {EventId} recovered by reconciliation ({Type}): {Outcome}")]
    private static partial void LogRecovered(ILogger logger, string eventId, string type, string outcome);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "Stripe webhook endpoint {EndpointId} is disabled: Stripe sends it no events until it is enabled again; reconciliation recovers paid checkouts meanwhile")]
    private static partial void LogEndpointDisabled(ILogger logger, string endpointId);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Warning, Message = "Stripe webhook endpoint {EndpointId} could not be read: {Reason}")]
    private static partial void LogEndpointUnread(ILogger logger, string endpointId, string reason);

    [LoggerMessage(EventId = 2307, Level = LogLevel.Warning, Message = "Stripe event {EventId} listed by the Events API is not readable: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string eventId, string problem);
}
