using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Grains.Jobs;
using Provisioning.Jobs;
using Provisioning.Subscriptions;

namespace Provisioning.Grains.StripeInbox;

/// <summary>
/// Carries out stored events: creates the job (its grain asks the user's slot and dispatches), applies the subscription
/// change, then marks the row processed. Every step is idempotent, so an event handed over twice (by the silo that
/// stored it and by a backstop) changes nothing the second time. Events handed over right after their append wait in
/// memory, in one of <see cref="StripeInboxOptions.ProcessingConcurrency"/> lanes chosen by the user (or subscription) they
/// concern, so one user's paid checkouts reach the user's slot in the order they were stored; one still waiting when its
/// hand-over lease lapses is left to the backstop, which owns it by then.
/// </summary>
public sealed partial class StripeInboxProcessor : IAsyncDisposable
{
    private readonly StripeInbox _inbox;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly StripeInboxOptions _options;
    private readonly ILogger<StripeInboxProcessor> _logger;
    private readonly Channel<Pending>[] _lanes;
    private readonly Task[] _workers;

    public StripeInboxProcessor(
        StripeInbox inbox, IGrainFactory grains, TimeProvider time, IOptions<StripeInboxOptions> options, ILogger<StripeInboxProcessor> logger)
    {
        _inbox = inbox;
        _grains = grains;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _lanes = [.. Enumerable.Range(0, _options.ProcessingConcurrency).Select(_ => Channel.CreateUnbounded<Pending>(
            new UnboundedChannelOptions { SingleReader = true }))];
        _workers = [.. _lanes.Select(lane => Task.Run(() => WorkAsync(lane)))];
    }

    /// <summary>Queues a just-stored event for processing on this silo, in the trace of the delivery that stored it.</summary>
    public void HandOver(InboxEntry entry, ActivityContext origin)
    {
        var lapsesAt = _time.GetUtcNow() + _options.HandOverLease;
        _lanes[LaneOf(entry)].Writer.TryWrite(new Pending(entry, origin, lapsesAt));
    }

    /// <summary>Whom the event concerns: events with the same key are processed one after another, in order.</summary>
    public static string OrderKey(InboxEntry entry) =>
        entry.Work.Job?.UserId ?? entry.Work.Subscription?.SubscriptionId ?? entry.EventId;

    /// <summary>Carries out the event and marks it processed; on failure records the error for the backstop and returns false.</summary>
    public async Task<bool> ProcessAsync(InboxEntry entry, ActivityContext origin = default)
    {
        using var span = JobTelemetry.Source.StartActivity("provisioning.stripe_event.process", ActivityKind.Internal, origin);
        span?.SetTag("provisioning.stripe_event_id", entry.EventId);
        try
        {
            if (entry.Work.Subscription is { } change)
            {
                await _grains.GetGrain<ISubscriptionGrain>(change.SubscriptionId).ApplyAsync(entry.EventId, entry.Created, change);
            }

            if (entry.Work.Job is { } job)
            {
                await _grains.GetGrain<IProvisioningJobGrain>(job.JobId).CreateAsync(job);
            }
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogProcessingFailed(_logger, entry.EventId, ex.Message);
            await RecordFailureAsync(entry.EventId, ex);
            return false;
        }

        try
        {
            await _inbox.MarkProcessedAsync(entry.EventId);
        }
        catch (Exception ex)
        {
            // The work is done; the backstop finds the row unprocessed and does it again, which changes nothing.
            LogMarkFailed(_logger, entry.EventId, ex.Message);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_workers);
    }

    private async Task RecordFailureAsync(string eventId, Exception failure)
    {
        try
        {
            await _inbox.MarkFailedAsync(eventId, $"{failure.GetType().Name}: {failure.Message}", _options.RetryDelay);
        }
        catch (Exception ex)
        {
            LogMarkFailed(_logger, eventId, ex.Message);
        }
    }

    private int LaneOf(InboxEntry entry) =>
        (int)((uint)StringComparer.Ordinal.GetHashCode(OrderKey(entry)) % (uint)_lanes.Length);

    private async Task WorkAsync(Channel<Pending> lane)
    {
        await foreach (var handOver in lane.Reader.ReadAllAsync())
        {
            if (_time.GetUtcNow() > handOver.LapsesAt)
            {
                LogLeftToBackstop(_logger, handOver.Entry.EventId);
                continue;
            }

            await ProcessAsync(handOver.Entry, handOver.Origin);
        }
    }

    private sealed record Pending(InboxEntry Entry, ActivityContext Origin, DateTimeOffset LapsesAt);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "Stripe event {EventId} not processed: {Reason}; the inbox backstop retries it")]
    private static partial void LogProcessingFailed(ILogger logger, string eventId, string reason);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Warning, Message = "Stripe event {EventId}: its processing could not be recorded ({Reason}); the backstop will find it")]
    private static partial void LogMarkFailed(ILogger logger, string eventId, string reason);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Debug, Message = "Stripe event {EventId} waited past its hand-over; left to the backstop")]
    private static partial void LogLeftToBackstop(ILogger logger, string eventId);
}
