using Npgsql;
using NpgsqlTypes;
using Provisioning.Jobs;

namespace Provisioning.Grains.Maintenance;

/// <summary>
/// The statements of <see cref="DataMaintenance"/>. Each deletes at most one batch in a transaction of its own and skips
/// rows another transaction holds, so a purge never waits on (or holds up) a webhook's append, and silos running it at
/// the same time share the work instead of contending. Ages are measured by the database's clock.
/// </summary>
public sealed class DataRetention(NpgsqlDataSource dataSource)
{
    // "= ANY(ARRAY(...))" makes the planner look each taken row up by its key; "IN (...)" lets it hash the batch and
    // read the whole table to find those rows.
    public const string PurgeInboxSql = """
        DELETE FROM stripe_inbox WHERE event_id = ANY(ARRAY(
            SELECT event_id FROM stripe_inbox
            WHERE processed_at IS NOT NULL AND received_at < now() - $1
            ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED))
        """;

    public const string PurgeJobsSql = """
        DELETE FROM jobs WHERE job_id = ANY(ARRAY(
            SELECT job_id FROM jobs
            WHERE status = $3 AND updated_at < now() - $1
            ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED))
        """;

    public static readonly string[] TerminalStatuses = [.. new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled }.Select(JobNames.Of)];

    /// <summary>Deletes up to <paramref name="batch"/> processed inbox rows received more than <paramref name="age"/> ago.</summary>
    public Task<int> PurgeInboxAsync(TimeSpan age, int batch, CancellationToken cancellationToken) =>
        ExecuteAsync(PurgeInboxSql, cancellationToken, Interval(age), new NpgsqlParameter<int> { TypedValue = batch });

    /// <summary>
    /// Deletes up to <paramref name="batch"/> jobs in an ended <paramref name="status"/> (and their history) last changed
    /// more than <paramref name="age"/> ago, oldest first: one status at a time, so <c>ix_jobs_status_updated</c> gives
    /// them in order and a purge reads only what it deletes.
    /// </summary>
    public Task<int> PurgeJobsAsync(string status, TimeSpan age, int batch, CancellationToken cancellationToken) =>
        ExecuteAsync(PurgeJobsSql, cancellationToken, Interval(age), new NpgsqlParameter<int> { TypedValue = batch },
            new NpgsqlParameter<string> { TypedValue = status, NpgsqlDbType = NpgsqlDbType.Text });

    /// <summary>
    /// A fold of at least this many changes of one table is followed by a VACUUM of that table: far more than a service
    /// writes between two folds, so it follows a bulk load or a long stop of the folds.
    /// </summary>
    public const long VacuumAfterFolding = 100_000;

    /// <summary>
    /// Folds the job count changes into the totals and the figures' changes into their intervals (db/0010_job_stats.sql);
    /// answers how many changes it folded. The counts and charts read the unfolded changes on every request, so after a
    /// large fold the emptied table is vacuumed at once rather than read, dead row by dead row, until autovacuum comes.
    /// </summary>
    public async Task<long> FoldCountsAsync(CancellationToken cancellationToken)
    {
        long counts, figures;
        await using (var command = dataSource.CreateCommand("SELECT job_counts_fold(), job_stats_fold()"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (counts, figures) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        if (counts >= VacuumAfterFolding)
        {
            await ExecuteAsync("VACUUM job_count_changes", cancellationToken);
        }

        if (figures >= VacuumAfterFolding)
        {
            await ExecuteAsync("VACUUM job_stats_changes", cancellationToken);
        }

        return counts + figures;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter<TimeSpan> Interval(TimeSpan age) => new() { TypedValue = age, NpgsqlDbType = NpgsqlDbType.Interval };
}
