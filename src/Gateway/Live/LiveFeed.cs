using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Provisioning.Gateway.Attention;
using Provisioning.Gateway.Dashboard;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Live;

/// <summary>
/// The gateway's one source of live updates for every open dashboard. While anyone listens it reads one number every
/// <see cref="DashboardOptions.LivePollInterval"/>: the job change clock of <c>db/0010_job_stats.sql</c>, which grows with every
/// committed transition. When it moved, or every <see cref="DashboardOptions.AttentionRefreshInterval"/>, it recounts what needs
/// attention and sends the result to every listener; so it does when the Stripe inbox's backlog (measured by the silos, not
/// read from the database here) changed. The database's load does not grow with the number of listeners, and no
/// listener: no query at all.
/// </summary>
public sealed partial class LiveFeed(
    NpgsqlDataSource dataSource, AttentionQuery attention, IGrainFactory grains, IOptions<DashboardOptions> options, TimeProvider time,
    ILogger<LiveFeed> logger)
    : BackgroundService
{
    public const string VersionSql = "SELECT folded + (SELECT count(*) FROM job_stats_changes) FROM job_stats_clock";

    /// <summary>How long a listener waits without news before it is sent the latest update again, so proxies keep the stream open.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<Channel<LiveUpdate>, byte> _listeners = new();
    private volatile LiveUpdate? _latest;

    /// <summary>How many streams listen now.</summary>
    public int Listeners => _listeners.Count;

    /// <summary>The updates for one listener: the latest at once (when known), then each new one, and the latest again after a quiet <see cref="KeepAlive"/>.</summary>
    public async IAsyncEnumerable<LiveUpdate> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A slow reader only ever needs the newest update: older ones are dropped, never queued without bound.
        var channel = Channel.CreateBounded<LiveUpdate>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        _listeners.TryAdd(channel, 0);
        try
        {
            if (_latest is { } latest)
            {
                yield return latest;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await WaitAsync(channel.Reader, cancellationToken))
                {
                    if (_latest is { } again)
                    {
                        yield return again;
                    }

                    continue;
                }

                while (channel.Reader.TryRead(out var update))
                {
                    yield return update;
                }
            }
        }
        finally
        {
            _listeners.TryRemove(channel, out _);
        }
    }

    /// <summary>True when an update is ready; false after a quiet <see cref="KeepAlive"/>, or once the listener has gone.</summary>
    private async Task<bool> WaitAsync(ChannelReader<LiveUpdate> reader, CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(KeepAlive);
        try
        {
            return await reader.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.LivePollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stoppingToken);
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OrleansException)
            {
                // The listeners keep the last update; the next interval tries again.
                LogReadFailed(logger, ex.Message);
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private long? _version;
    private DateTimeOffset _counted = DateTimeOffset.MinValue;

    /// <summary>One interval: nothing without listeners; else the change clock and the inbox's backlog, and a recount when due.</summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        if (_listeners.IsEmpty)
        {
            (_version, _latest) = (null, null);
            return;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var current = await ReadVersionAsync(cancellationToken);
        var backlog = (await grains.GetGrain<IStripeInboxGrain>(0).GetBacklogAsync()).Events;
        var moved = current != _version || backlog != _latest?.InboxBacklog;
        if (!moved && now - _counted < settings.AttentionRefreshInterval)
        {
            return;
        }

        var total = (await attention.ReadAsync(cancellationToken)).Total;
        _counted = now;
        _version = current;
        if (moved || total != _latest?.Attention)
        {
            Publish(new LiveUpdate(
                current, total, now, settings.WaitingAttentionAfter.TotalSeconds, settings.SilentRunAttentionAfter.TotalSeconds, backlog));
        }
    }

    private async Task<long> ReadVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(VersionSql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private void Publish(LiveUpdate update)
    {
        _latest = update;
        foreach (var listener in _listeners.Keys)
        {
            listener.Writer.TryWrite(update);
        }
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "Live updates: reading what changed failed ({Reason}); the next interval tries again")]
    private static partial void LogReadFailed(ILogger logger, string reason);
}
