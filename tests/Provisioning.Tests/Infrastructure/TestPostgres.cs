using Provisioning.Migrator;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests share. <c>./test.sh</c> starts one and passes its address in
/// <c>PROVISIONING_TEST_POSTGRES</c> (a connection string to its <c>postgres</c> database); without it,
/// the first test that needs a database starts a private server for the whole run.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> SharedAdmin = new(StartSharedAsync);

    /// <summary>A new, empty database with a unique name on the shared server.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t") =>
        await CreateDatabaseOnAsync(await SharedAdmin.Value, prefix);

    /// <summary>A new, empty database with a unique name on the server of <paramref name="admin"/>.</summary>
    public static async Task<string> CreateDatabaseOnAsync(string admin, string prefix = "t")
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(admin);
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        builder.Pooling = true;
        return builder.ConnectionString;
    }

    /// <summary>A new database on the shared server with every migration under <c>db/</c> applied.</summary>
    public static async Task<string> CreateMigratedDatabaseAsync(string prefix = "t")
    {
        var connectionString = await CreateDatabaseAsync(prefix);
        await DatabaseMigrator.MigrateAsync(connectionString);
        return connectionString;
    }

    private static async Task<string> StartSharedAsync()
    {
        var fromScript = Environment.GetEnvironmentVariable("PROVISIONING_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromScript))
        {
            return fromScript;
        }

        var server = await PostgresServer.StartNewAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server.AdminConnectionString;
    }
}
