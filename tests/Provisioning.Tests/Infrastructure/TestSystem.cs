using System.Net;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// The whole service as separate processes on loopback: a fresh migrated database, silo processes and the gateway.
/// Tests talk to it over HTTP (<see cref="Http"/>) like Stripe, GitHub and operators do, and may inspect grains
/// through an Orleans client (<see cref="ClientAsync"/>) and the database (<see cref="ConnectionString"/>).
/// </summary>
public sealed class TestSystem : IAsyncLifetime
{
    private readonly List<HostProcess> _silos = [];

    public ProcessCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public Uri GatewayUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public HostProcess Gateway { get; private set; } = null!;

    public int SiloCount { get; init; } = 1;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateMigratedDatabaseAsync("system");
        Cluster = new ProcessCluster(ConnectionString);
        for (var i = 1; i <= SiloCount; i++)
        {
            _silos.Add(await Cluster.StartSiloAsync($"silo-{i}"));
        }

        (Gateway, GatewayUrl) = await Cluster.StartGatewayAsync();
        Http = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(60) };
        await WaitUntilReadyAsync();
    }

    public Task<IClusterClient> ClientAsync() => Cluster.ConnectClientAsync();

    /// <summary>Stops every silo (SIGTERM) and starts as many new ones; waits until the gateway is ready again.</summary>
    public async Task RestartAllSilosAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.TerminateAsync(TimeSpan.FromSeconds(40));
        }

        var count = _silos.Count;
        _silos.Clear();
        for (var i = 1; i <= count; i++)
        {
            _silos.Add(await Cluster.StartSiloAsync($"silo-{i}-restarted-{Guid.NewGuid():N}"[..24]));
        }

        await WaitUntilReadyAsync();
    }

    public Task WaitUntilReadyAsync() =>
        Eventually.UntilAsync(async () => (await Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(90), "the gateway's /readyz to answer 200");

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
