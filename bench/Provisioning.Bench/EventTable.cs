using Npgsql;

namespace Provisioning.Bench;

/// <summary>
/// The table of event rows the floor receiver writes: an id, when it arrived and the payload, as the least a receiver
/// stores of a webhook.
/// </summary>
public static class EventTable
{
    /// <summary>Creates <paramref name="table"/> empty (emptying it if an earlier run left it).</summary>
    public static async Task CreateAsync(NpgsqlDataSource dataSource, string table)
    {
        await dataSource.CreateCommand(
            $"CREATE TABLE IF NOT EXISTS {table} (id text PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)")
            .ExecuteNonQueryAsync();
        await dataSource.CreateCommand($"TRUNCATE {table}").ExecuteNonQueryAsync();
    }

    /// <summary>The insert of one row; a redelivered id inserts nothing.</summary>
    public static string Insert(string table) => $"INSERT INTO {table} (id, payload) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";

    public static async Task DropAsync(NpgsqlDataSource dataSource, string table) =>
        await dataSource.CreateCommand($"DROP TABLE IF EXISTS {table}").ExecuteNonQueryAsync();
}
