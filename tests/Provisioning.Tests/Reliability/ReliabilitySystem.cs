using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reliability;

/// <summary>The reliability scenarios run one after another: they kill processes and measure times.</summary>
[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilitySystem>
{
    public const string Name = "Reliability";
}

/// <summary>
/// The system the scenarios share: PostgreSQL, two silo processes, the gateway and the Actions simulator playing every run
/// (claim after 1 s, a heartbeat a second, complete after 2 s). The watchdog and the dispatch retries are tuned so that a
/// stalled run is noticed in seconds and a dispatch keeps retrying through the longest GitHub outage of the profile.
/// </summary>
public sealed class ReliabilitySystem : IAsyncLifetime
{
    public TestSystem System { get; } = Create();

    public ReliabilityProfile Profile => ReliabilityProfile.Current;

    /// <summary>
    /// A system with the scenarios' settings, on the shared test server or on <paramref name="postgresAdmin"/>'s, with
    /// <paramref name="siloSettings"/> (environment variable names) on top.
    /// </summary>
    public static TestSystem Create(string? postgresAdmin = null, params (string Key, string Value)[] siloSettings)
    {
        var system = CreateDefault(postgresAdmin);
        foreach (var (key, value) in siloSettings)
        {
            system.SiloSettings[key] = value;
        }

        return system;
    }

    /// <summary>A system with the scenarios' settings whose processes each run on a host of <paramref name="network"/>.</summary>
    public static TestSystem Create(NetworkHosts network, int siloCount) => CreateDefault(null, network, siloCount);

    private static TestSystem CreateDefault(string? postgresAdmin, NetworkHosts? network = null, int siloCount = 2) => new()
    {
        SiloCount = siloCount,
        WithSimulator = true,
        PostgresAdminConnectionString = postgresAdmin,
        Network = network,
        SiloSettings =
        {
            ["Jobs__ClaimTimeout"] = "00:00:20",
            ["Jobs__HeartbeatTimeout"] = "00:00:05",
            ["Jobs__MaxAttempts"] = "4",
            ["Dispatch__MaxTries"] = "60",
            ["Dispatch__MaxDelay"] = "00:00:03",
        },
        SimulatorSettings =
        {
            ["Simulator__MaxLoggedRequests"] = "100000",
        },
    };

    public Task InitializeAsync() => System.InitializeAsync();

    public Task DisposeAsync() => System.DisposeAsync();
}
