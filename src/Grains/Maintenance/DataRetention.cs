using Npgsql;
using NpgsqlTypes;

namespace Provisioning.Grains.Maintenance;

/// <summary>
/// The statements of <see cref="DataMaintenance"/>. Each deletes at most one batch in a transaction of its own and skips
/// rows another transaction holds, so a purge never waits on (or holds up) a webhook's append, and silos running it at
/// the same time share the work instead of contending. Ages are measured by the database's clock.
/// </summary>
public sealed class DataRetention(NpgsqlDataSource dataSource)
{
    private static readonly string[] TerminalStatuses = ["succeeded", "failed", "cancelled"];

    /// <summary>Deletes up to <paramref name="batch"/> processed inbox rows received more than <paramref name="age"/> ago.</summary>
    public Task<int> PurgeInboxAsync(TimeSpan age, int batch, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            DELETE FROM stripe_inbox WHERE event_id IN (
                SELECT event_id FROM stripe_inbox
                WHERE processed_at IS NOT NULL AND received_at < now() - $1
                ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, cancellationToken, Interval(age), new NpgsqlParameter<int> { TypedValue = batch });

    /// <summary>Deletes up to <paramref name="batch"/> ended jobs (and their history) last changed more than <paramref name="age"/> ago.</summary>
    public Task<int> PurgeJobsAsync(TimeSpan age, int batch, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            DELETE FROM jobs WHERE job_id IN (
                SELECT job_id FROM jobs
                WHERE status = ANY($3) AND updated_at < now() - $1
                LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, cancellationToken, Interval(age), new NpgsqlParameter<int> { TypedValue = batch },
            new NpgsqlParameter<string[]> { TypedValue = TerminalStatuses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });

    /// <summary>Folds the job count changes into the totals; answers how many changes it folded.</summary>
    public async Task<long> FoldCountsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT job_counts_fold()");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter<TimeSpan> Interval(TimeSpan age) => new() { TypedValue = age, NpgsqlDbType = NpgsqlDbType.Interval };
}
