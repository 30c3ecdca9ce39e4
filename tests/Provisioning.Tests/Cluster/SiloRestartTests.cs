using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cluster;

/// <summary>Grain state outlives every silo: a whole new set of silos reads what the old ones wrote.</summary>
public sealed class SiloRestartTests : IAsyncLifetime
{
    private readonly PostgresClusterFixture _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task GrainState_RestartOfEverySilo_IsReadBack()
    {
        var cluster = _cluster.Cluster;
        var keys = Enumerable.Range(0, 10).Select(i => $"restart-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var key in keys)
        {
            await cluster.Client.GetGrain<ITestCounterGrain>(key).AddAsync(key.Length);
        }

        foreach (var silo in cluster.Silos.ToArray())
        {
            await cluster.StopSiloAsync(silo);
        }

        await cluster.StartAdditionalSilosAsync(2);
        await cluster.KillClientAsync();
        await cluster.InitializeClientAsync();

        foreach (var key in keys)
        {
            var value = await Eventually.UntilAsync(
                () => cluster.Client.GetGrain<ITestCounterGrain>(key).GetAsync(), v => v != 0,
                TimeSpan.FromSeconds(30), $"grain {key} readable on the new silos");
            Assert.Equal(key.Length, value);
        }
    }
}
