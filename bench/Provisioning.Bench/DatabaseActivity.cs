using Npgsql;

namespace Provisioning.Bench;

/// <summary>
/// What the database did during a phase: transactions committed, rows written and WAL bytes generated in the benchmark's
/// database, from <c>pg_stat_database</c> and the WAL position. PostgreSQL's statistics reach <c>pg_stat_database</c>
/// about once a second, so a phase's counts are right to within about a second of traffic.
/// </summary>
public sealed record DatabaseActivity(long Commits, long RowsWritten, long WalBytes)
{
    public static async Task<DatabaseActivity> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
            FROM pg_stat_database WHERE datname = current_database()
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new DatabaseActivity(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public DatabaseActivity Minus(DatabaseActivity earlier) =>
        new(Commits - earlier.Commits, RowsWritten - earlier.RowsWritten, WalBytes - earlier.WalBytes);
}
