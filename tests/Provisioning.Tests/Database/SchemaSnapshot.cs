using Npgsql;

namespace Provisioning.Tests.Database;

/// <summary>A comparable description of a database's schema: tables and columns, indexes, functions and Orleans queries.</summary>
public static class SchemaSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(string connectionString)
    {
        const string sql = """
            SELECT 'table ' || table_name || ' ' || column_name || ' ' || data_type || ' ' || is_nullable
            FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT 'table ' || table_name FROM information_schema.tables WHERE table_schema = 'public'
            UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT 'function ' || p.proname || ' ' || md5(p.prosrc)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
            UNION ALL SELECT 'query ' || querykey || ' ' || md5(querytext) FROM orleansquery
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
