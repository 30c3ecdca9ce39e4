using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Provisioning.Jobs;

namespace Provisioning.Grains.ReadModel;

/// <summary>
/// Lets the projections of many jobs share round trips: each <see cref="ProjectAsync"/> waits for its snapshot to be
/// written, and the snapshots that arrive while a write is in flight go together in the next one (at most
/// <see cref="MaxBatch"/>, through <see cref="Writers"/> writers). A lone projection is written at once, so an idle
/// silo pays no extra latency; a busy one pays one round trip and one commit for many jobs. If a shared write fails,
/// each of its snapshots is written again on its own, so one job's failure is never another's.
/// </summary>
public sealed partial class BatchingJobReadModel : IJobReadModel, IAsyncDisposable
{
    public const int MaxBatch = 64;
    public const int Writers = 2;

    private readonly PostgresJobReadModel _inner;
    private readonly ILogger<BatchingJobReadModel> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _writers;

    public BatchingJobReadModel(PostgresJobReadModel inner, ILogger<BatchingJobReadModel> logger)
    {
        _inner = inner;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    public Task ProjectAsync(JobSnapshot job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var pending = new Pending(job);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(BatchingJobReadModel), "The read model is shutting down.");
        }

        return pending.Written.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            await _inner.ProjectManyAsync([.. batch.Select(p => p.Job)]);
            batch.ForEach(p => p.Written.TrySetResult());
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogSharedWriteFailed(_logger, batch.Count, ex.Message);
        }
        catch (Exception ex)
        {
            batch[0].Written.TrySetException(ex);
            return;
        }

        foreach (var pending in batch)
        {
            try
            {
                await _inner.ProjectAsync(pending.Job);
                pending.Written.TrySetResult();
            }
            catch (Exception ex)
            {
                pending.Written.TrySetException(ex);
            }
        }
    }

    private sealed record Pending(JobSnapshot Job)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "A shared read-model write of {Count} jobs failed ({Reason}); writing each on its own")]
    private static partial void LogSharedWriteFailed(ILogger logger, int count, string reason);
}
