using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Provisioning.Grains.Jobs;

namespace Provisioning.Grains.Batching;

/// <summary>
/// Runs a silo's small, independent statements (grain state reads and writes, reminder changes, Stripe inbox appends) so that concurrent callers
/// share round trips and commits (<see cref="SharedBatches{T}"/>): a statement that arrives while a round trip is in
/// flight waits for the next one, which carries every statement waiting by then (at most <see cref="MaxBatch"/>) as one
/// batch, in one implicit transaction, through one of <see cref="Loops"/> connections. A lone statement goes at once, so an idle silo pays no extra latency.
/// Each caller is answered only once its batch has committed. If a shared batch fails, nothing of it was written (the
/// transaction rolls back) and each of its statements runs again on its own, so one caller's failure is never another's.
/// Inside a trace, each statement has a client span in its caller's trace (<c>db.operation.batch.size</c>: how many
/// statements its round trip carried), since Npgsql's own span of a shared round trip belongs to no single caller.
/// </summary>
public sealed class SharedRoundTrips : IAsyncDisposable
{
    public const int MaxBatch = 64;
    public const int Loops = 2;

    private static readonly ActivitySource Spans = new(JobTelemetry.Name);

    private readonly NpgsqlDataSource _dataSource;
    private readonly SharedBatches<Statement> _batches;

    public SharedRoundTrips(NpgsqlDataSource dataSource, ILogger<SharedRoundTrips> logger)
    {
        _dataSource = dataSource;
        _batches = new SharedBatches<Statement>(
            Loops, MaxBatch, ExecuteAsync, statement => ExecuteAsync([statement]),
            (statement, ex) => statement.Result.TrySetException(ex), logger);
    }

    /// <summary>
    /// Runs the statement that <paramref name="command"/> builds (it may be built more than once) and answers its first
    /// row, read by <paramref name="readRow"/>, or <c>default</c> when it returns no row. <paramref name="operation"/> and
    /// <paramref name="table"/> name it in traces. The statement must return a result set (a <c>SELECT</c>, or a write with
    /// <c>RETURNING</c>), even an empty one: a batch's result sets are matched to its statements by position, and a
    /// statement without one would hand every later statement of its batch the answer of the next.
    /// </summary>
    public async Task<T?> FirstRowAsync<T>(
        string operation, string table, Func<NpgsqlBatchCommand> command, Func<NpgsqlDataReader, T> readRow)
    {
        using var span = Spans.StartActivity($"{operation} {table}", ActivityKind.Client);
        span?.SetTag("db.system.name", "postgresql");
        span?.SetTag("db.operation.name", operation);
        span?.SetTag("db.collection.name", table);
        var statement = new Statement(command, reader => readRow(reader));
        if (!_batches.TryAdd(statement))
        {
            await ExecuteAsync([statement]); // Shutting down: no loop takes it, so it goes on its own.
        }

        try
        {
            return (T?)await statement.Result.Task;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            span?.SetTag("db.operation.batch.size", statement.BatchSize);
        }
    }

    public ValueTask DisposeAsync() => _batches.DisposeAsync();

    /// <summary>Runs the statements as one batch and answers each once the batch has committed.</summary>
    private async Task ExecuteAsync(IReadOnlyList<Statement> statements)
    {
        var results = new object?[statements.Count];
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var statement in statements)
            {
                batch.BatchCommands.Add(statement.Command());
            }

            await using var reader = await batch.ExecuteReaderAsync();
            for (var i = 0; i < statements.Count; i++)
            {
                if (await reader.ReadAsync())
                {
                    results[i] = statements[i].ReadRow(reader);
                }

                await reader.NextResultAsync();
            }
        }

        for (var i = 0; i < statements.Count; i++)
        {
            statements[i].BatchSize = statements.Count;
            statements[i].Result.TrySetResult(results[i]);
        }
    }

    private sealed record Statement(Func<NpgsqlBatchCommand> Command, Func<NpgsqlDataReader, object?> ReadRow)
    {
        public TaskCompletionSource<object?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int BatchSize { get; set; } = 1;
    }
}
