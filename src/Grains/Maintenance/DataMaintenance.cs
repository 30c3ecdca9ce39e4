using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioning.Grains.Maintenance;

/// <summary>
/// Runs on every silo, in two loops: every <see cref="MaintenanceOptions.CountsFoldInterval"/> it folds the job count
/// changes, and every <see cref="MaintenanceOptions.PurgeInterval"/> it deletes what is past its retention, a batch at a
/// time until less than a batch is left. Silos need no coordination: a fold takes each change once and a purge skips
/// rows another silo holds. A failed pass is logged and tried again on the next interval.
/// </summary>
public sealed partial class DataMaintenance(
    DataRetention retention, IOptions<MaintenanceOptions> options, TimeProvider time, ILogger<DataMaintenance> logger)
    : BackgroundService
{
    private readonly MaintenanceOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            EveryAsync(_options.CountsFoldInterval, "fold job counts and figures", retention.FoldCountsAsync, stoppingToken),
            EveryAsync(_options.PurgeInterval, "purge", PurgeAsync, stoppingToken));

    /// <summary>One purge pass: the inbox, then the read model when it has a retention. Answers the rows deleted.</summary>
    public async Task<long> PurgeAsync(CancellationToken cancellationToken)
    {
        var events = await DrainAsync(ct => retention.PurgeInboxAsync(_options.InboxRetention, _options.PurgeBatch, ct), cancellationToken);
        long jobs = 0;
        if (_options.JobRetention is { } jobAge)
        {
            foreach (var status in DataRetention.TerminalStatuses)
            {
                jobs += await DrainAsync(ct => retention.PurgeJobsAsync(status, jobAge, _options.PurgeBatch, ct), cancellationToken);
            }
        }

        if (events + jobs > 0)
        {
            LogPurged(logger, events, jobs);
        }

        return events + jobs;
    }

    private async Task<long> DrainAsync(Func<CancellationToken, Task<int>> batch, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            deleted = await batch(cancellationToken);
            total += deleted;
        }
        while (deleted >= _options.PurgeBatch && !cancellationToken.IsCancellationRequested);

        return total;
    }

    private async Task EveryAsync(TimeSpan interval, string what, Func<CancellationToken, Task<long>> pass, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                await pass(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, what, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Retention: deleted {Events} Stripe inbox rows and {Jobs} jobs from the read model")]
    private static partial void LogPurged(ILogger logger, long events, long jobs);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Background maintenance ({What}) failed: {Reason}; the next interval tries again")]
    private static partial void LogPassFailed(ILogger logger, string what, string reason);
}
