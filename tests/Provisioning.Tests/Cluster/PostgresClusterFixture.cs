using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Provisioning.Grains;
using Provisioning.ServiceDefaults;
using Provisioning.Silo;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cluster;

/// <summary>
/// Two in-process silos (Orleans TestingHost over real TCP) whose membership, grain state and reminders are in a fresh,
/// migrated PostgreSQL database, and a client that finds them through the same membership table.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..20];

    /// <summary>Where the silos dispatch workflows. Nothing listens there unless a test class starts a simulator on it.</summary>
    public string GitHubApiBaseUrl { get; init; } = "http://127.0.0.1:9/";

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateMigratedDatabaseAsync("cluster");
        var builder = new TestClusterBuilder(2);
        builder.Options.ClusterId = ClusterId;
        builder.Options.ServiceId = "provisioning-tests";
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DatabaseOptions.ConnectionStringKey] = ConnectionString,
            ["GitHub:Token"] = TestSecrets.GitHubToken,
            ["GitHub:Owner"] = "acme",
            ["GitHub:Repo"] = "agents",
            ["GitHub:ApiBaseUrl"] = GitHubApiBaseUrl,
            ["Gateway:PublicUrl"] = "http://127.0.0.1:9/",
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>The services of one of the in-process silos (the first by default).</summary>
    public IServiceProvider SiloServices(int index = 0) =>
        Cluster.Silos[index] is InProcessSiloHandle { SiloHost: { } host }
            ? host.Services
            : throw new InvalidOperationException("the test cluster runs its silos in process");

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.UseProvisioningPostgres().AddProvisioningGrains();
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.Services.AddProvisioningDatabase();
            clientBuilder.UseAdoNetClustering(options => options.Configure<IOptions<DatabaseOptions>>((o, db) =>
            {
                o.Invariant = DatabaseExtensions.OrleansInvariant;
                o.ConnectionString = db.Value.ConnectionString;
            }));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "PostgreSQL cluster";
}
