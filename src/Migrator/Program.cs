using DbUp.Engine.Output;
using Npgsql;
using Provisioning.Migrator;

// Usage: Provisioning.Migrator [connection-string]
// Without an argument the connection string comes from ConnectionStrings__Provisioning.
var connectionString = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("ConnectionStrings__Provisioning");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("error: no database. Set ConnectionStrings:Provisioning (environment variable ConnectionStrings__Provisioning) or pass a connection string.");
    return 2;
}

try
{
    var applied = await DatabaseMigrator.MigrateAsync(connectionString, new ConsoleUpgradeLog());
    Console.WriteLine(applied.Count == 0 ? "migrate: schema is up to date" : $"migrate: applied {applied.Count} script(s)");
    return 0;
}
catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
