using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeInbox;

/// <summary>
/// Runs on every silo: each <see cref="StripeInboxOptions.BackstopInterval"/> it measures the unprocessed backlog (which
/// refuses deliveries past its bound) and, in a loop of its own, takes the events whose hand-over lapsed, whatever the
/// cause (a silo killed after the ack, a lost message, a storage error), oldest first, at most
/// <see cref="StripeInboxOptions.BackstopBatch"/> a pass, and processes them. Silos skip each other's rows, so there is no
/// single point; a full pass runs again at once.
/// </summary>
public sealed partial class StripeInboxBackstop : BackgroundService
{
    private readonly StripeInbox _inbox;
    private readonly StripeInboxProcessor _processor;
    private readonly TimeProvider _time;
    private readonly StripeInboxOptions _options;
    private readonly ILogger<StripeInboxBackstop> _logger;
    private volatile InboxBacklog? _backlog;
    private readonly Lock _measuringLock = new();
    private Task<InboxBacklog>? _measuring;

    public StripeInboxBackstop(
        StripeInbox inbox, StripeInboxProcessor processor, TimeProvider time, IOptions<StripeInboxOptions> options,
        ILogger<StripeInboxBackstop> logger)
    {
        _inbox = inbox;
        _processor = processor;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The backlog as last measured; null before the first measurement or while the database does not answer.</summary>
    public InboxBacklog? Backlog => _backlog;

    /// <summary>
    /// The backlog a delivery is admitted on: the last figure while it is at most two intervals old, otherwise one measured
    /// now (shared by the deliveries that arrive meanwhile), so that no silo admits on a figure it does not have.
    /// </summary>
    public Task<InboxBacklog> FreshBacklogAsync()
    {
        if (_backlog is { } last && _time.GetUtcNow() - last.MeasuredAt <= 2 * _options.BackstopInterval)
        {
            return Task.FromResult(last);
        }

        lock (_measuringLock)
        {
            if (_measuring is not { IsCompleted: false } measuring)
            {
                _measuring = measuring = MeasureAsync(CancellationToken.None);
            }

            return measuring;
        }
    }

    /// <summary>Measures the backlog now.</summary>
    public async Task<InboxBacklog> MeasureAsync(CancellationToken cancellationToken)
    {
        // Stamped before the query: the figure counts at least what was unprocessed at that moment.
        var measuredAt = _time.GetUtcNow();
        var (events, oldestAge) = await _inbox.MeasureBacklogAsync(cancellationToken);
        var backlog = new InboxBacklog(events, oldestAge, _options.MaxBacklog, measuredAt);
        _backlog = backlog;
        return backlog;
    }

    /// <summary>
    /// Measures the backlog and takes lapsed events in two loops: a pass that waits on slow processing must not leave the
    /// bound to a stale figure, and slow processing is when the bound matters.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(MeasureEachIntervalAsync(stoppingToken), TakeLapsedAsync(stoppingToken));

    private async Task MeasureEachIntervalAsync(CancellationToken stoppingToken)
    {
        do
        {
            try
            {
                await MeasureAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is away: keep refusing deliveries only on a figure that is still fresh.
                if (_backlog is { } last && _time.GetUtcNow() - last.MeasuredAt > 3 * _options.BackstopInterval)
                {
                    _backlog = null;
                }

                LogPassFailed(_logger, ex.Message);
            }
        }
        while (await WaitIntervalAsync(stoppingToken));
    }

    private async Task TakeLapsedAsync(CancellationToken stoppingToken)
    {
        bool full;
        do
        {
            full = false;
            try
            {
                var lapsed = await _inbox.ClaimLapsedAsync(_options.BackstopBatch, _options.BackstopLease, stoppingToken);
                if (lapsed.Count > 0)
                {
                    LogTaking(_logger, lapsed.Count, lapsed[0].EventId);
                    // Oldest first within each user (or subscription), users side by side.
                    await Parallel.ForEachAsync(
                        lapsed.GroupBy(StripeInboxProcessor.OrderKey, StringComparer.Ordinal),
                        new ParallelOptions { MaxDegreeOfParallelism = _options.ProcessingConcurrency },
                        async (events, _) =>
                        {
                            foreach (var entry in events)
                            {
                                await _processor.ProcessAsync(entry);
                            }
                        });
                    full = lapsed.Count >= _options.BackstopBatch;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(_logger, ex.Message);
            }
        }
        while (!stoppingToken.IsCancellationRequested && (full || await WaitIntervalAsync(stoppingToken)));
    }

    /// <summary>Waits one <see cref="StripeInboxOptions.BackstopInterval"/>; false once the silo is stopping.</summary>
    private async Task<bool> WaitIntervalAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(_options.BackstopInterval, _time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2220, Level = LogLevel.Information, Message = "Inbox backstop: taking {Count} Stripe events past their hand-over, oldest {EventId}")]
    private static partial void LogTaking(ILogger logger, int count, string eventId);

    [LoggerMessage(EventId = 2221, Level = LogLevel.Warning, Message = "Inbox backstop pass failed: {Reason}; next pass retries")]
    private static partial void LogPassFailed(ILogger logger, string reason);
}
