using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Provisioning.ClusterSecurity;
using Provisioning.ServiceDefaults;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// Silos and a gateway as real, separate processes on loopback, sharing one database: what a crash test needs
/// (a <c>kill -9</c> must hit a process, not a host inside the test's own process).
/// Failure detection is tuned down so that a killed silo is declared dead in a few seconds. With network hosts
/// (<see cref="NetworkHosts"/>) each process runs on a host of its own, on that host's address and the default ports.
/// </summary>
public sealed class ProcessCluster(string connectionString, NetworkHost? gatewayHost = null) : IAsyncDisposable
{
    private readonly List<HostProcess> _processes = [];
    private IHost? _client;

    public string ConnectionString { get; } = connectionString;

    /// <summary>
    /// Where the first gateway started listens; the silos give it to workflow runs as their callback address.
    /// Chosen before any silo starts, so the simulator's runs call back to the real gateway.
    /// </summary>
    public Uri PublicGatewayUrl { get; } = gatewayHost is null
        ? new($"http://127.0.0.1:{FreePort.Next()}/")
        : new($"http://{gatewayHost.Address}:8080/");

    private bool _publicGatewayStarted;

    public string ClusterId { get; } = $"proc-{Guid.NewGuid():N}"[..20];

    public const string ServiceId = "provisioning-tests";

    /// <summary>Extra settings every silo gets, e.g. a shorter minimum reminder period.</summary>
    public Dictionary<string, string?> SiloSettings { get; } = new()
    {
        ["Orleans__Options__ClusterMembership__ProbeTimeout"] = "00:00:01",
        ["Orleans__Options__ClusterMembership__NumMissedProbesLimit"] = "2",
        ["Orleans__Options__ClusterMembership__NumVotesForDeathDeclaration"] = "1",
        ["Orleans__Options__ClusterMembership__TableRefreshTimeout"] = "00:00:02",
        ["Orleans__Options__ClusterMembership__IAmAliveTablePublishTimeout"] = "00:00:02",
        ["Orleans__Options__ClusterMembership__DeathVoteExpirationTimeout"] = "00:00:10",
        ["GitHub__Token"] = TestSecrets.GitHubToken,
        ["GitHub__Owner"] = "acme",
        ["GitHub__Repo"] = "agents",
        // Nothing listens there: tests that follow dispatches point the silos at the GitHub Actions simulator.
        ["GitHub__ApiBaseUrl"] = "http://127.0.0.1:9/",
    };

    public IReadOnlyList<HostProcess> Processes => _processes;

    /// <summary>The silo-to-silo port of each silo started, by name: how a test finds the process behind a silo address.</summary>
    public Dictionary<string, int> SiloPorts { get; } = new();

    /// <summary>The gateway (client) port of each silo started, by name.</summary>
    public Dictionary<string, int> GatewayPorts { get; } = new();

    /// <summary>Starts a silo on loopback, or on <paramref name="host"/> advertising its address.</summary>
    public async Task<HostProcess> StartSiloAsync(string name, NetworkHost? host = null)
    {
        var siloPort = host is null ? FreePort.Next() : 11111;
        SiloPorts[name] = siloPort;
        GatewayPorts[name] = host is null ? FreePort.Next() : 30000;
        var settings = new Dictionary<string, string?>(SiloSettings)
        {
            ["ConnectionStrings__Provisioning"] = ConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ServiceId,
            ["Orleans__SiloPort"] = siloPort.ToString(),
            ["Orleans__GatewayPort"] = GatewayPorts[name].ToString(),
            ["Orleans__SiloName"] = name,
            ["ASPNETCORE_URLS"] = host is null ? $"http://127.0.0.1:{FreePort.Next()}" : $"http://{host.Address}:8080",
        };
        if (host is not null)
        {
            settings["Orleans__AdvertisedIPAddress"] = host.Address;
        }

        settings.TryAdd("Gateway__PublicUrl", PublicGatewayUrl.ToString());
        foreach (var (key, value) in TestCertificates.SiloSettings())
        {
            settings.TryAdd(key, value);
        }

        var silo = HostProcess.Start("Silo", settings, name, host);
        _processes.Add(silo);
        await silo.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        return silo;
    }

    /// <summary>
    /// Starts the gateway process and waits until its <c>/readyz</c> answers 200 (or only <c>/healthz</c>, for a gateway that
    /// is meant to find no cluster); returns its base address.
    /// </summary>
    public async Task<(HostProcess Process, Uri BaseAddress)> StartGatewayAsync(
        IDictionary<string, string?>? extra = null, bool waitUntilReady = true)
    {
        var url = _publicGatewayStarted ? new Uri($"http://127.0.0.1:{FreePort.Next()}") : PublicGatewayUrl;
        var host = _publicGatewayStarted ? null : gatewayHost;
        _publicGatewayStarted = true;
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Provisioning"] = ConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ServiceId,
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["Stripe__WebhookSecrets__0"] = TestSecrets.StripeWebhookSecret,
            ["Stripe__WebhookSecrets__1"] = TestSecrets.StripeWebhookSecretPrevious,
            ["Callbacks__Secrets__0"] = TestSecrets.CallbackSecret,
            ["Callbacks__Secrets__1"] = TestSecrets.CallbackSecretPrevious,
            ["GitHub__WebhookSecret"] = TestSecrets.GitHubWebhookSecret,
            [$"Gateway__OperatorKeys__{TestSecrets.OperatorName}"] = TestSecrets.OperatorKey,
            [$"Gateway__OperatorKeys__{TestSecrets.SecondOperatorName}"] = TestSecrets.SecondOperatorKey,
        };
        foreach (var (key, value) in TestCertificates.GatewaySettings())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var gateway = HostProcess.Start("Gateway", settings, "gateway", host);
        _processes.Add(gateway);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestSecrets.OperatorKey);
        // Ready, not only up: the gateway serves HTTP before its Orleans client has found a silo.
        var probe = waitUntilReady ? "/readyz" : "/healthz";
        try
        {
            await Eventually.UntilAsync(async () => (await http.GetAsync(probe)).IsSuccessStatusCode,
                TimeSpan.FromSeconds(60), $"the gateway's {probe}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n--- last output of the gateway ---\n{gateway.Tail(40)}", ex);
        }

        return (gateway, url);
    }

    /// <summary>An Orleans client in the test process that finds the silos through the membership table; it shows the gateway's certificate.</summary>
    public async Task<IClusterClient> ConnectClientAsync()
    {
        _client ??= await StartClientAsync(TestCertificates.GatewaySettings());
        return _client.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>
    /// A separate Orleans client host with the given transport settings (environment variable names, <c>Orleans__Tls__...</c>);
    /// the caller stops and disposes it.
    /// </summary>
    public async Task<IHost> StartClientAsync(Dictionary<string, string?> tlsSettings, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[DatabaseOptions.ConnectionStringKey] = ConnectionString;
        builder.Configuration.AddInMemoryCollection(tlsSettings.AsConfiguration());
        builder.Services.AddProvisioningDatabase();
        builder.UseOrleansClient(client => client.UseProvisioningTls().UseAdoNetClustering(options =>
            options.Configure<IOptions<DatabaseOptions>>((o, db) =>
            {
                o.Invariant = DatabaseExtensions.OrleansInvariant;
                o.ConnectionString = db.Value.ConnectionString;
            })));
        builder.Services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ClusterId;
            o.ServiceId = ServiceId;
        });
        builder.Services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        builder.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (OperationCanceledException)
            {
                // The client could not say goodbye to a dead cluster; it is disposed below anyway.
            }

            _client.Dispose();
        }

        // Gateway first, then silos: the order run.sh uses.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }
    }
}
