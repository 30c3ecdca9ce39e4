using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Provisioning.Diagnostics;
using Provisioning.Grains;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cluster;

[Collection(PostgresClusterCollection.Name)]
public sealed class ClusterOnPostgresTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task TwoSilos_JoinThroughAdoNetMembership_BothActiveAndClientCallSucceeds()
    {
        var active = await Eventually.UntilAsync(
            () => CountActiveSilosAsync(fixture.ConnectionString, fixture.ClusterId),
            n => n == 2, TimeSpan.FromSeconds(30), "two active silos in the membership table");
        Assert.Equal(2, active);

        var answers = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add((await fixture.Cluster.Client.GetGrain<IClusterProbeGrain>(0).PingAsync()).Silo);
        }

        Assert.NotEmpty(answers);
        Assert.All(answers, silo => Assert.Contains(silo, fixture.Cluster.Silos.Select(s => s.SiloAddress.ToString())));
    }

    [Fact]
    public async Task GrainState_WrittenThroughAdoNet_IsStoredInPostgres()
    {
        var key = $"stored-{Guid.NewGuid():N}";
        Assert.Equal(5, await fixture.Cluster.Client.GetGrain<ITestCounterGrain>(key).AddAsync(5));

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'test-counter' AND grainidextensionstring LIKE @key AND payloadbinary IS NOT NULL",
            connection);
        command.Parameters.AddWithValue("key", $"%{key}");
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task StaleWrite_OlderETag_RaisesInconsistentStateException()
    {
        var storage = PrimarySiloStorage();
        var grainId = GrainId.Create("test-counter", $"etag-{Guid.NewGuid():N}");

        var first = new GrainState<TestCounterState>(new TestCounterState { Value = 1 });
        await storage.WriteStateAsync("test-counter", grainId, first);
        var staleETag = first.ETag;
        Assert.NotNull(staleETag);

        first.State!.Value = 2;
        await storage.WriteStateAsync("test-counter", grainId, first);
        Assert.NotEqual(staleETag, first.ETag);

        var stale = new GrainState<TestCounterState>(new TestCounterState { Value = 99 }) { ETag = staleETag };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("test-counter", grainId, stale));

        var read = new GrainState<TestCounterState>(new TestCounterState());
        await storage.ReadStateAsync("test-counter", grainId, read);
        Assert.Equal(2, read.State!.Value);
    }

    [Fact]
    public async Task FirstWrite_TwoWritersWithoutETag_OnlyOneSucceeds()
    {
        var storage = PrimarySiloStorage();
        var grainId = GrainId.Create("test-counter", $"first-{Guid.NewGuid():N}");

        await storage.WriteStateAsync("test-counter", grainId, new GrainState<TestCounterState>(new TestCounterState { Value = 1 }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("test-counter", grainId, new GrainState<TestCounterState>(new TestCounterState { Value = 2 })));
    }

    private IGrainStorage PrimarySiloStorage() => fixture.SiloServices().GetRequiredKeyedService<IGrainStorage>(ProvisioningStorage.Name);

    internal static async Task<long> CountActiveSilosAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Status 3 is SiloStatus.Active.
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster AND status = 3", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
