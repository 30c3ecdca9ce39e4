using Npgsql;
using NpgsqlTypes;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeReconciliation;

/// <summary>The reconciler's tables (<c>db/0009_stripe_reconciliation.sql</c>): the checkpoint row and the pass records.</summary>
public sealed class ReconciliationStore(NpgsqlDataSource dataSource)
{
    private const string PassColumns =
        "pass_id, started_at, finished_at, trigger, since, until, listed, already_present, recovered, resumed, endpoint_status, error, retry_after";

    public async Task<ReconciliationCheckpoint> GetCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT checkpoint, pending_since, pending_until, pending_cursor, endpoint_status FROM stripe_reconciliation WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new ReconciliationCheckpoint(null, null, null);
        }

        var pending = reader.IsDBNull(1)
            ? null
            : new ReconciliationWindow(Time(reader, 1)!.Value, Time(reader, 2)!.Value, reader.IsDBNull(3) ? null : reader.GetString(3));
        return new ReconciliationCheckpoint(Time(reader, 0), pending, reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    /// <summary>Records the unfinished pass's window and the last event it reconciled.</summary>
    public Task SaveProgressAsync(ReconciliationWindow window, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            UPDATE stripe_reconciliation SET pending_since = $1, pending_until = $2, pending_cursor = $3, updated_at = now() WHERE id = 1
            """, cancellationToken, new() { Value = window.Since }, new() { Value = window.Until },
            new() { Value = (object?)window.Cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

    /// <summary>A finished pass: the checkpoint moves to <paramref name="until"/> (never back) and nothing is pending.</summary>
    public Task CompleteAsync(DateTimeOffset? until, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            UPDATE stripe_reconciliation
            SET checkpoint = CASE WHEN $1::timestamptz IS NULL THEN checkpoint ELSE GREATEST(COALESCE(checkpoint, $1), $1) END,
                pending_since = NULL, pending_until = NULL, pending_cursor = NULL, updated_at = now()
            WHERE id = 1
            """, cancellationToken, new NpgsqlParameter { Value = (object?)until ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });

    public Task SaveEndpointStatusAsync(string status, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE stripe_reconciliation SET endpoint_status = $1, updated_at = now() WHERE id = 1", cancellationToken, new NpgsqlParameter { Value = status });

    /// <summary>Stores a pass record (a new one when <see cref="ReconciliationPassRecord.PassId"/> is 0) and answers it with its id.</summary>
    public async Task<ReconciliationPassRecord> SavePassAsync(ReconciliationPassRecord pass, CancellationToken cancellationToken = default)
    {
        var sql = pass.PassId == 0
            ? $"""
               INSERT INTO stripe_reconciliation_passes (started_at, finished_at, trigger, since, until, listed, already_present,
                   recovered, resumed, endpoint_status, error, retry_after)
               VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {PassColumns}
               """
            : $"""
               UPDATE stripe_reconciliation_passes SET finished_at = $3, listed = $7, already_present = $8, recovered = $9,
                   endpoint_status = $11, error = $12, retry_after = $13
               WHERE pass_id = $1 RETURNING {PassColumns}
               """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = pass.PassId });
        command.Parameters.Add(new() { Value = pass.StartedAt });
        command.Parameters.Add(new() { Value = (object?)pass.FinishedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = pass.Trigger });
        command.Parameters.Add(new() { Value = pass.Since });
        command.Parameters.Add(new() { Value = pass.Until });
        command.Parameters.Add(new() { Value = pass.Listed });
        command.Parameters.Add(new() { Value = pass.AlreadyPresent });
        command.Parameters.Add(new() { Value = pass.Recovered });
        command.Parameters.Add(new() { Value = pass.Resumed });
        command.Parameters.Add(new() { Value = (object?)pass.EndpointStatus ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)Truncate(pass.Error) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)pass.RetryAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Interval });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadPass(reader);
    }

    /// <summary>The latest passes, newest first.</summary>
    public async Task<IReadOnlyList<ReconciliationPassRecord>> RecentPassesAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {PassColumns} FROM stripe_reconciliation_passes ORDER BY pass_id DESC LIMIT $1");
        command.Parameters.Add(new() { Value = count });
        var passes = new List<ReconciliationPassRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            passes.Add(ReadPass(reader));
        }

        return passes;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ReconciliationPassRecord ReadPass(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), Time(r, 2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4),
        r.GetFieldValue<DateTimeOffset>(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetBoolean(9),
        r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11),
        r.IsDBNull(12) ? null : r.GetFieldValue<TimeSpan>(12));

    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] : text;
}
