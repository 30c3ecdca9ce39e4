using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Npgsql;

namespace Provisioning.Migrator;

/// <summary>
/// Applies the SQL scripts under <c>db/</c> (embedded in this assembly) in file-name order.
/// DbUp records every applied script in the <c>schemaversions</c> table, so a second run applies nothing.
/// A PostgreSQL advisory lock serialises migrators started by several hosts at once.
/// </summary>
public static class DatabaseMigrator
{
    // An arbitrary, fixed key: every migrator of this product takes the same lock.
    private const long AdvisoryLockKey = 0x5052_4F56_4953_494F;

    public static IReadOnlyList<string> ScriptNames { get; } =
        typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Applies every pending script; returns the names of the scripts applied by this call.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        string connectionString, IUpgradeLog? log = null, CancellationToken cancellationToken = default)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", AdvisoryLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), n => n.EndsWith(".sql", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(log ?? new NoOpUpgradeLog())
                .Build();

            DatabaseUpgradeResult result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                var script = result.ErrorScript?.Name ?? "(unknown script)";
                throw new InvalidOperationException($"Migration failed in {script}: {result.Error.Message}", result.Error);
            }

            return result.Scripts.Select(s => s.Name).ToArray();
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
