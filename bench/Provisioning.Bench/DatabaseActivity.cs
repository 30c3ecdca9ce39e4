using Npgsql;

namespace Provisioning.Bench;

/// <summary>
/// What the database did during a phase: transactions that wrote (each one a commit record that waits for its WAL flush),
/// counted by the transaction ids assigned, and WAL bytes generated. Both counters move the moment the work happens,
/// unlike <c>pg_stat_database</c>, whose counts an idle connection reports up to ten seconds late. Both are the whole
/// server's: the benchmark's PostgreSQL serves nothing else.
/// </summary>
public sealed record DatabaseActivity(long WriteTransactions, long WalBytes)
{
    public static async Task<DatabaseActivity> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new DatabaseActivity(reader.GetInt64(0), reader.GetInt64(1));
    }

    public DatabaseActivity Minus(DatabaseActivity earlier) =>
        new(WriteTransactions - earlier.WriteTransactions, WalBytes - earlier.WalBytes);
}
