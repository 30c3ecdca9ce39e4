using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Provisioning.Grains.Batching;

/// <summary>
/// Lets concurrent callers share round trips: an item that arrives while a batch is in flight waits for the next one,
/// which takes every item waiting by then (at most <c>maxBatch</c>), through one of <c>loops</c> loops. A lone item goes
/// at once, so an idle process pays no extra latency. <c>runTogether</c> runs a batch and answers its items; if it
/// throws for a batch of several, each item runs again through <c>runAlone</c>, so one item's failure is never
/// another's; an item whose own run throws gets the exception through <c>fail</c>.
/// </summary>
public sealed partial class SharedBatches<T> : IAsyncDisposable
{
    private readonly int _maxBatch;
    private readonly Func<IReadOnlyList<T>, Task> _runTogether;
    private readonly Func<T, Task> _runAlone;
    private readonly Action<T, Exception> _fail;
    private readonly ILogger _logger;
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>();
    private readonly Task[] _loops;

    public SharedBatches(
        int loops, int maxBatch, Func<IReadOnlyList<T>, Task> runTogether, Func<T, Task> runAlone, Action<T, Exception> fail, ILogger logger)
    {
        _maxBatch = maxBatch;
        _runTogether = runTogether;
        _runAlone = runAlone;
        _fail = fail;
        _logger = logger;
        _loops = [.. Enumerable.Range(0, loops).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>Queues <paramref name="item"/> for the next batch; false once the batches are shutting down.</summary>
    public bool TryAdd(T item) => _queue.Writer.TryWrite(item);

    /// <summary>Takes no more items and waits for the queued ones to run.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task RunAsync()
    {
        var batch = new List<T>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await _runTogether(batch);
            }
            catch (Exception ex) when (batch.Count > 1)
            {
                LogSharedBatchFailed(_logger, batch.Count, ex.Message);
                await Task.WhenAll(batch.Select(RunAloneAsync));
            }
            catch (Exception ex)
            {
                _fail(batch[0], ex);
            }

            batch.Clear();
        }
    }

    private async Task RunAloneAsync(T item)
    {
        try
        {
            await _runAlone(item);
        }
        catch (Exception ex)
        {
            _fail(item, ex);
        }
    }

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "A shared batch of {Count} failed ({Reason}); running each on its own")]
    private static partial void LogSharedBatchFailed(ILogger logger, int count, string reason);
}
