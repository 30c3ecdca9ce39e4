using Npgsql;

namespace Provisioning.Tests.Webhooks;

/// <summary>Row counts of every table in the database's <c>public</c> schema: grain state, reminders, membership, read model.</summary>
public static class DatabaseRows
{
    /// <summary>One <c>table=rows</c> line per table, in table name order.</summary>
    public static async Task<IReadOnlyList<string>> CountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new List<string>();
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM public.\"{table}\"", connection);
            counts.Add($"{table}={await count.ExecuteScalarAsync()}");
        }

        return counts;
    }
}
