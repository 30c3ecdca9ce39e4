using Npgsql;
using NpgsqlTypes;
using Provisioning.Jobs;

namespace Provisioning.Grains.ReadModel;

/// <summary>
/// Projects job snapshots into the <c>jobs</c> and <c>job_history</c> tables (<c>db/0005_read_model.sql</c>) in one
/// round trip: a batch of two statements per job that PostgreSQL runs as one implicit transaction. The job row is
/// written only when the snapshot is newer than the stored row; history entries are inserted once each. The statements
/// of a batch go in job id order and each job's take its row's lock first, so concurrent batches lock rows in the same
/// order and serialize instead of deadlocking.
/// </summary>
public sealed class PostgresJobReadModel(NpgsqlDataSource dataSource) : IJobReadModel
{
    private const string UpsertJob = """
        INSERT INTO jobs (job_id, stripe_event_id, user_id, agent_id, region, status, attempt,
                          run_id, run_url, created_at, updated_at, last_error, version,
                          output, last_heartbeat_at, run_attempt, paid_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17)
        ON CONFLICT (job_id) DO UPDATE SET
            stripe_event_id = EXCLUDED.stripe_event_id,
            user_id = EXCLUDED.user_id,
            agent_id = EXCLUDED.agent_id,
            region = EXCLUDED.region,
            status = EXCLUDED.status,
            attempt = EXCLUDED.attempt,
            run_id = EXCLUDED.run_id,
            run_url = EXCLUDED.run_url,
            created_at = EXCLUDED.created_at,
            updated_at = EXCLUDED.updated_at,
            last_error = EXCLUDED.last_error,
            version = EXCLUDED.version,
            output = EXCLUDED.output,
            last_heartbeat_at = EXCLUDED.last_heartbeat_at,
            run_attempt = EXCLUDED.run_attempt,
            paid_at = EXCLUDED.paid_at
        WHERE jobs.version < EXCLUDED.version
        """;

    private const string InsertHistory = """
        INSERT INTO job_history (job_id, seq, at, from_status, to_status, actor, reason, actor_name)
        SELECT $1, (h.ord - 1)::integer, h.at, h.from_status, h.to_status, h.actor, h.reason, h.actor_name
        FROM unnest($2, $3, $4, $5, $6, $7) WITH ORDINALITY AS h(at, from_status, to_status, actor, reason, actor_name, ord)
        ON CONFLICT (job_id, seq) DO NOTHING
        """;

    public Task ProjectAsync(JobSnapshot job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ProjectManyAsync([job], cancellationToken);
    }

    /// <summary>Projects several snapshots in one round trip and one transaction: all of them are written, or none.</summary>
    public async Task ProjectManyAsync(IReadOnlyCollection<JobSnapshot> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var job in jobs.OrderBy(j => j.JobId, StringComparer.Ordinal).ThenBy(j => j.Version))
        {
            batch.BatchCommands.Add(JobCommand(job));
            batch.BatchCommands.Add(HistoryCommand(job));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand JobCommand(JobSnapshot job) => new(UpsertJob)
    {
        Parameters =
        {
            Text(job.JobId),
            Text(job.StripeEventId),
            Text(job.UserId),
            Text(job.AgentId),
            Text(job.Region),
            Text(JobNames.Of(job.Status)),
            new NpgsqlParameter<int> { TypedValue = job.Attempt },
            Text(job.RunId),
            Text(job.RunUrl),
            new NpgsqlParameter<DateTimeOffset> { TypedValue = job.CreatedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter<DateTimeOffset> { TypedValue = job.UpdatedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
            Text(job.LastError),
            new NpgsqlParameter<long> { TypedValue = job.Version },
            Text(job.OutputJson),
            new NpgsqlParameter { Value = job.LastHeartbeatAt?.ToUniversalTime() ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter { Value = job.RunAttempt ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            new NpgsqlParameter { Value = job.PaidAt?.ToUniversalTime() ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
        },
    };

    private static NpgsqlBatchCommand HistoryCommand(JobSnapshot job)
    {
        var history = job.History;
        return new NpgsqlBatchCommand(InsertHistory)
        {
            Parameters =
            {
                Text(job.JobId),
                new NpgsqlParameter<DateTimeOffset[]>
                {
                    TypedValue = history.Select(h => h.At.ToUniversalTime()).ToArray(),
                    NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
                },
                TextArray(history.Select(h => h.From is { } from ? JobNames.Of(from) : null)),
                TextArray(history.Select(h => JobNames.Of(h.To))),
                TextArray(history.Select(h => JobNames.Of(h.Actor))),
                TextArray(history.Select(h => h.Reason)),
                TextArray(history.Select(h => h.ActorName)),
            },
        };
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { Value = value ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
