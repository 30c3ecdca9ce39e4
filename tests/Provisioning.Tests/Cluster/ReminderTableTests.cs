using Provisioning.Grains.Batching;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Silo.Storage;

namespace Provisioning.Tests.Cluster;

/// <summary>
/// The silo's reminder table: grains' own reminder changes go through <see cref="SharedRoundTrips"/>, the ring reads
/// through Orleans' ADO.NET table, and each sees what the other wrote.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ReminderTableTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task UpsertRow_ThenReadRowAndRingRead_SeeTheReminderWithTheSameETag()
    {
        var table = SiloReminderTable();
        Assert.IsType<SharedRoundTripReminderTable>(table);
        var grainId = GrainId.Create("test-counter", $"reminder-{Guid.NewGuid():N}");
        var startAt = new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc);

        var etag = await table.UpsertRow(new ReminderEntry
        {
            GrainId = grainId, ReminderName = "owed-work", StartAt = startAt, Period = TimeSpan.FromMinutes(1),
        });

        var row = await table.ReadRow(grainId, "owed-work");
        Assert.NotNull(row);
        Assert.Equal((grainId, "owed-work", startAt, TimeSpan.FromMinutes(1), etag), (row.GrainId, row.ReminderName, row.StartAt, row.Period, row.ETag));

        var hash = grainId.GetUniformHashCode();
        var ring = await table.ReadRows(hash - 1, hash);
        Assert.Contains(ring.Reminders, r => r.GrainId == grainId && r.ETag == etag);
        var ofGrain = await table.ReadRows(grainId);
        Assert.Equal(etag, Assert.Single(ofGrain.Reminders).ETag);
    }

    [Fact]
    public async Task RemoveRow_StaleETag_KeepsTheReminder_CurrentETag_RemovesIt()
    {
        var table = SiloReminderTable();
        var grainId = GrainId.Create("test-counter", $"reminder-{Guid.NewGuid():N}");
        var entry = new ReminderEntry { GrainId = grainId, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) };
        var first = await table.UpsertRow(entry);
        var second = await table.UpsertRow(entry);
        Assert.NotEqual(first, second);

        Assert.False(await table.RemoveRow(grainId, "r", first!));
        Assert.NotNull(await table.ReadRow(grainId, "r"));
        Assert.False(await table.RemoveRow(grainId, "r", "not-a-version"));

        Assert.True(await table.RemoveRow(grainId, "r", second!));
        Assert.Null(await table.ReadRow(grainId, "r"));
        Assert.Empty((await table.ReadRows(grainId)).Reminders);
    }

    [Fact]
    public async Task UpsertRow_ManyGrainsAtOnce_EachGetsItsOwnReminder()
    {
        var table = SiloReminderTable();
        var ids = Enumerable.Range(0, 40).Select(i => GrainId.Create("test-counter", $"reminders-{Guid.NewGuid():N}-{i}")).ToArray();

        var etags = await Task.WhenAll(ids.Select(id => table.UpsertRow(
            new ReminderEntry { GrainId = id, ReminderName = "owed-work", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) })));

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(etags[i], (await table.ReadRow(ids[i], "owed-work"))?.ETag);
        }
    }

    private IReminderTable SiloReminderTable() => fixture.SiloServices().GetRequiredService<IReminderTable>();
}
