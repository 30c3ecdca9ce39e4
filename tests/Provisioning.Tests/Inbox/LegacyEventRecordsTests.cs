using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Provisioning.Migrator;
using Provisioning.Tests.Cluster;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Inbox;

/// <summary>
/// A database from before the inbox, holding events recorded as grain state: the inbox's migration copies them in as
/// processed, so their records and their redeliveries are still known.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class LegacyEventRecordsTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task Migrate_EventRecordedAsGrainStateBeforeTheInbox_CopiedInAsProcessed()
    {
        var database = await TestPostgres.CreateMigratedDatabaseAsync("legacy");
        await ExecuteAsync(database, "DROP TABLE stripe_inbox; DELETE FROM schemaversions WHERE scriptname LIKE '%0007_stripe_inbox.sql'");
        var created = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var record = new LegacyRecord("evt_legacy_1", "checkout.session.completed", created, false, created.AddSeconds(2), "job-created", "evt_legacy_1", "sub_legacy");
        // The payload exactly as the silo's grain storage serializes state.
        var payload = fixture.SiloServices().GetRequiredService<IGrainStorageSerializer>().Serialize(new LegacyState { Record = record }).ToArray();
        await ExecuteAsync(database, """
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
                ServiceId, PayloadBinary, Version)
            VALUES (1, 0, 0, 2, 'stripe-event', 'evt_legacy_1', 'provisioning', $1, 1)
            """, payload);

        var applied = await DatabaseMigrator.MigrateAsync(database);

        Assert.Single(applied, name => name.EndsWith("0007_stripe_inbox.sql", StringComparison.Ordinal));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand(
            "SELECT type, created, outcome, job_id, subscription_id, received_at, processed_at IS NOT NULL, creates_job FROM stripe_inbox WHERE event_id = 'evt_legacy_1'",
            connection);
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the legacy record is in the inbox");
        Assert.Equal(
            ("checkout.session.completed", created, "job-created", "evt_legacy_1", "sub_legacy", created.AddSeconds(2), true, false),
            (reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6), reader.GetBoolean(7)));
    }

    private static async Task ExecuteAsync(string database, string sql, byte[]? parameter = null)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The shape the former event grain persisted: its state held one record.</summary>
    public sealed class LegacyState
    {
        public LegacyRecord? Record { get; set; }
    }

    public sealed record LegacyRecord(
        string EventId, string Type, DateTimeOffset Created, bool Livemode, DateTimeOffset ReceivedAt, string Outcome, string? JobId, string? SubscriptionId);
}
