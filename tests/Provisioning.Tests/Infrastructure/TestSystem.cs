using System.Net;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// The whole service as separate processes on loopback: a fresh migrated database, silo processes and the gateway.
/// Tests talk to it over HTTP (<see cref="Http"/>) like Stripe, GitHub and operators do, and may inspect grains
/// through an Orleans client (<see cref="ClientAsync"/>) and the database (<see cref="ConnectionString"/>).
/// </summary>
public sealed class TestSystem : IAsyncLifetime, IAsyncDisposable
{
    private readonly List<HostProcess> _silos = [];

    public IReadOnlyList<HostProcess> Silos => _silos;

    public ProcessCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public Uri GatewayUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public HostProcess Gateway { get; private set; } = null!;

    public int SiloCount { get; init; } = 1;

    /// <summary>Start the GitHub Actions simulator and point the silos' dispatcher at it.</summary>
    public bool WithSimulator { get; init; }

    /// <summary>The GitHub Actions simulator, when <see cref="WithSimulator"/> is set.</summary>
    public ActionsSimulatorProcess Simulator => _simulator ?? throw new InvalidOperationException("this test system runs without the simulator");

    /// <summary>Settings for every silo on top of <see cref="ProcessCluster.SiloSettings"/> (environment variable names).</summary>
    public Dictionary<string, string?> SiloSettings { get; } = new();

    /// <summary>Settings for the gateway (environment variable names), on top of what <see cref="ProcessCluster.StartGatewayAsync"/> sets.</summary>
    public Dictionary<string, string?> GatewaySettings { get; } = new();

    /// <summary>Settings for the simulator (environment variable names), on top of this system's own.</summary>
    public Dictionary<string, string?> SimulatorSettings { get; } = new();

    /// <summary>
    /// The admin connection string of the PostgreSQL server to create the database on (a <see cref="PostgresServer"/> the
    /// test can stop); null: the shared test server.
    /// </summary>
    public string? PostgresAdminConnectionString { get; init; }

    /// <summary>
    /// Hosts to place the processes on, one per host: <c>postgres</c>, <c>github</c> (the simulator), <c>gateway</c> and
    /// <c>silo-1</c>..<c>silo-N</c>. Null: everything on loopback.
    /// </summary>
    public NetworkHosts? Network { get; init; }

    /// <summary>The PostgreSQL server of a <see cref="Network"/> system, on its own host.</summary>
    public PostgresServer? Postgres { get; private set; }

    private ActionsSimulatorProcess? _simulator;
    private readonly Dictionary<HostProcess, NetworkHost> _siloHosts = [];

    /// <summary>The host a silo runs on, in a <see cref="Network"/> system.</summary>
    public NetworkHost HostOf(HostProcess silo) => _siloHosts[silo];

    public async Task InitializeAsync()
    {
        if (Network is not null)
        {
            Postgres = await PostgresServer.StartNewAsync(Network["postgres"], $"{Network.Subnet}.0/24");
            ConnectionString = await TestPostgres.CreateDatabaseOnAsync(Postgres.AdminConnectionString, "system");
            await Provisioning.Migrator.DatabaseMigrator.MigrateAsync(ConnectionString);
        }
        else if (PostgresAdminConnectionString is null)
        {
            ConnectionString = await TestPostgres.CreateMigratedDatabaseAsync("system");
        }
        else
        {
            ConnectionString = await TestPostgres.CreateDatabaseOnAsync(PostgresAdminConnectionString, "system");
            await Provisioning.Migrator.DatabaseMigrator.MigrateAsync(ConnectionString);
        }

        Cluster = new ProcessCluster(ConnectionString, Network?["gateway"]);
        if (WithSimulator)
        {
            var simulatorSettings = new Dictionary<string, string?>
            {
                ["Simulator__Token"] = TestSecrets.GitHubToken,
                ["Simulator__Owner"] = "acme",
                ["Simulator__Repo"] = "agents",
                // The simulator plays each dispatched run: signed claim, heartbeats, complete to the gateway.
                ["Simulator__CallbackSecret"] = TestSecrets.CallbackSecret,
                // The workflow repository's PROVISIONING_CALLBACK_URL: the gateway the silos name in their dispatches.
                ["Simulator__CallbackUrl"] = new Uri(Cluster.PublicGatewayUrl, "api/webhooks/github").ToString(),
                ["Simulator__HeartbeatInterval"] = "00:00:01",
                ["Simulator__ProvisionDuration"] = "00:00:02",
            };
            foreach (var (key, value) in SimulatorSettings)
            {
                simulatorSettings[key] = value;
            }

            _simulator = await ActionsSimulatorProcess.StartAsync(simulatorSettings, host: Network?["github"]);
            Cluster.SiloSettings["GitHub__ApiBaseUrl"] = _simulator.BaseUrl.ToString();
            Cluster.SiloSettings["Orleans__Options__Reminders__MinimumReminderPeriod"] = "00:00:01";
            Cluster.SiloSettings["Dispatch__ReminderPeriod"] = "00:00:02";
            Cluster.SiloSettings["Dispatch__BaseDelay"] = "00:00:00.200";
            Cluster.SiloSettings["Dispatch__MaxDelay"] = "00:00:01";
            Cluster.SiloSettings["Dispatch__MinRateLimitWait"] = "00:00:02";
            Cluster.SiloSettings["GitHub__RequestTimeout"] = "00:00:02";
        }

        foreach (var (key, value) in SiloSettings)
        {
            Cluster.SiloSettings[key] = value;
        }

        for (var i = 1; i <= SiloCount; i++)
        {
            _silos.Add(await StartSiloAsync($"silo-{i}", Network?[$"silo-{i}"]));
        }

        (Gateway, GatewayUrl) = await Cluster.StartGatewayAsync(GatewaySettings);
        Http = new HttpClient { BaseAddress = GatewayUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (Network is not null)
        {
            // Off loopback the gateway serves reads to operators only.
            Http.DefaultRequestHeaders.Authorization = new("Bearer", TestSecrets.OperatorKey);
        }
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
        var hosts = _silos.Select(s => _siloHosts.GetValueOrDefault(s)).ToArray();
        _silos.Clear();
        for (var i = 1; i <= count; i++)
        {
            _silos.Add(await StartSiloAsync($"silo-{i}-restarted-{Guid.NewGuid():N}"[..24], hosts[i - 1]));
        }

        await WaitUntilReadyAsync();
    }

    /// <summary>
    /// Starts a new silo in the place of <paramref name="silo"/> (which the test killed or stopped), under a new name, and
    /// waits until the gateway is ready.
    /// </summary>
    public async Task<HostProcess> ReplaceSiloAsync(HostProcess silo)
    {
        var index = _silos.IndexOf(silo);
        if (index < 0)
        {
            throw new ArgumentException($"{silo.Name} is not one of this system's silos", nameof(silo));
        }

        if (!silo.HasExited)
        {
            throw new InvalidOperationException($"{silo.Name} is still running: kill or stop it first");
        }

        var replacement = await StartSiloAsync($"{silo.Name.Split('~')[0]}~{Guid.NewGuid():N}"[..20], _siloHosts.GetValueOrDefault(silo));
        _silos[index] = replacement;
        await WaitUntilReadyAsync();
        return replacement;
    }

    /// <summary>The running silo that hosts <paramref name="grain"/>'s activation, as the management grain knows it (call the grain first).</summary>
    public async Task<HostProcess> SiloHostingAsync(IAddressable grain)
    {
        var client = await ClientAsync();
        var address = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException("the grain has no activation");
        var name = Cluster.SiloPorts.Single(p => p.Value == address.Endpoint.Port).Key;
        return _silos.Single(s => s.Name == name);
    }

    private async Task<HostProcess> StartSiloAsync(string name, NetworkHost? host)
    {
        var silo = await Cluster.StartSiloAsync(name, host);
        if (host is not null)
        {
            _siloHosts[silo] = host;
        }

        return silo;
    }

    public Task WaitUntilReadyAsync() =>
        Eventually.UntilAsync(async () => (await Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(90), "the gateway's /readyz to answer 200");

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}
