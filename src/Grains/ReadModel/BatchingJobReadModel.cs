using Microsoft.Extensions.Logging;
using Provisioning.Grains.Batching;
using Provisioning.Jobs;

namespace Provisioning.Grains.ReadModel;

/// <summary>
/// Lets the projections of many jobs share round trips (<see cref="SharedBatches{T}"/>): each <see cref="ProjectAsync"/>
/// waits for its snapshot to be written, and the snapshots that arrive while a write is in flight go together in the next
/// one (at most <see cref="MaxBatch"/>, through <see cref="Writers"/> writers), one round trip and one commit for many
/// jobs. If a shared write fails, each of its snapshots is written again on its own.
/// </summary>
public sealed class BatchingJobReadModel : IJobReadModel, IAsyncDisposable
{
    public const int MaxBatch = 64;
    public const int Writers = 2;

    private readonly SharedBatches<Pending> _batches;

    public BatchingJobReadModel(PostgresJobReadModel inner, ILogger<BatchingJobReadModel> logger)
    {
        _batches = new SharedBatches<Pending>(
            Writers,
            MaxBatch,
            async batch =>
            {
                await inner.ProjectManyAsync([.. batch.Select(p => p.Job)]);
                foreach (var pending in batch)
                {
                    pending.Written.TrySetResult();
                }
            },
            async pending =>
            {
                await inner.ProjectAsync(pending.Job);
                pending.Written.TrySetResult();
            },
            (pending, ex) => pending.Written.TrySetException(ex),
            logger);
    }

    public Task ProjectAsync(JobSnapshot job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var pending = new Pending(job);
        if (!_batches.TryAdd(pending))
        {
            throw new ObjectDisposedException(nameof(BatchingJobReadModel), "The read model is shutting down.");
        }

        return pending.Written.Task.WaitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _batches.DisposeAsync();

    private sealed record Pending(JobSnapshot Job)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
