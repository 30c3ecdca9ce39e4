using Npgsql;
using Provisioning.Migrator;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Database;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_RunTwice_SecondRunAppliesNothingAndSchemaIsUnchanged()
    {
        var database = await TestPostgres.CreateDatabaseAsync("migrate");

        var first = await DatabaseMigrator.MigrateAsync(database);
        var schemaAfterFirst = await SchemaSnapshot.TakeAsync(database);
        var second = await DatabaseMigrator.MigrateAsync(database);

        Assert.Equal(DatabaseMigrator.ScriptNames, first);
        Assert.Empty(second);
        Assert.Equal(schemaAfterFirst, await SchemaSnapshot.TakeAsync(database));
        Assert.Contains("table orleansstorage", schemaAfterFirst);
        Assert.Contains(schemaAfterFirst, row => row.StartsWith("query WriteToStorageKey ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_TwoProcessesAtOnce_BothSucceedWithTheSchemaOfOneRun()
    {
        var reference = await TestPostgres.CreateMigratedDatabaseAsync("migref");
        var database = await TestPostgres.CreateDatabaseAsync("migrace");
        var settings = new Dictionary<string, string?> { ["ConnectionStrings__Provisioning"] = database };

        await using var one = HostProcess.Start("Migrator", settings, "migrator-1");
        await using var two = HostProcess.Start("Migrator", settings, "migrator-2");
        var exitCodes = await Task.WhenAll(
            one.WaitForExitAsync(TimeSpan.FromSeconds(120)), two.WaitForExitAsync(TimeSpan.FromSeconds(120)));

        Assert.True(exitCodes.All(c => c == 0), $"{one.Output}\n{two.Output}");
        Assert.Equal(await SchemaSnapshot.TakeAsync(reference), await SchemaSnapshot.TakeAsync(database));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM schemaversions", connection);
        Assert.Equal((long)DatabaseMigrator.ScriptNames.Count, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrator_WithoutConnectionString_ExitsNonZeroNamingTheKey()
    {
        await using var migrator = HostProcess.Start("Migrator", new Dictionary<string, string?> { ["ConnectionStrings__Provisioning"] = null });

        Assert.NotEqual(0, await migrator.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ConnectionStrings:Provisioning", migrator.Output);
    }
}
