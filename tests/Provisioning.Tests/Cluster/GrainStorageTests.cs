using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Provisioning.Grains;
using Provisioning.ServiceDefaults;
using Provisioning.Silo.Storage;

namespace Provisioning.Tests.Cluster;

/// <summary>
/// The silo's grain storage (<see cref="PostgresGrainStorage"/>) on the cluster's PostgreSQL database: concurrent calls
/// share transactions without sharing failures, and rows are interchangeable with Orleans' ADO.NET grain storage.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class GrainStorageTests(PostgresClusterFixture fixture)
{
    private const string StateName = "test-counter";

    [Fact]
    public async Task WriteStateAsync_ManyGrainsAtOnce_AllStoredInFewerTransactions()
    {
        var storage = SiloStorage();
        var prefix = $"many-{Guid.NewGuid():N}-";
        var states = Enumerable.Range(0, 50).Select(i => new GrainState<TestCounterState>(new TestCounterState { Value = i })).ToArray();

        await Task.WhenAll(states.Select((state, i) => storage.WriteStateAsync(StateName, CounterId($"{prefix}{i}"), state)));

        for (var i = 0; i < states.Length; i++)
        {
            var read = new GrainState<TestCounterState>(new TestCounterState());
            await storage.ReadStateAsync(StateName, CounterId($"{prefix}{i}"), read);
            Assert.True(read.RecordExists);
            Assert.Equal(i, read.State!.Value);
            Assert.Equal(states[i].ETag, read.ETag);
        }

        // Rows written by one transaction share its id (xmin): fifty writes issued together took far fewer commits.
        var transactions = await ScalarAsync<long>(
            "SELECT count(DISTINCT xmin::text) FROM orleansstorage WHERE grainidextensionstring LIKE @prefix",
            ("prefix", prefix + "%"));
        Assert.InRange(transactions, 1, 25);
    }

    [Fact]
    public async Task WriteStateAsync_OneCallFailsInASharedBatch_TheOthersAreStored()
    {
        var storage = SiloStorage();
        var prefix = $"isolated-{Guid.NewGuid():N}-";
        var stale = CounterId($"{prefix}stale");
        var staleState = new GrainState<TestCounterState>(new TestCounterState { Value = 1 });
        await storage.WriteStateAsync(StateName, stale, staleState);
        var current = new GrainState<TestCounterState>(new TestCounterState { Value = 2 }) { ETag = staleState.ETag };
        await storage.WriteStateAsync(StateName, stale, current);

        // A key longer than the column allows makes its statement fail; a stale ETag makes its write a conflict.
        var tooLong = CounterId(prefix + new string('x', 600));
        var good = Enumerable.Range(0, 20).Select(i => CounterId($"{prefix}{i}")).ToArray();
        var goodWrites = good.Select(id => storage.WriteStateAsync(StateName, id, new GrainState<TestCounterState>(new TestCounterState { Value = 7 }))).ToList();
        var failing = storage.WriteStateAsync(StateName, tooLong, new GrainState<TestCounterState>(new TestCounterState { Value = 7 }));
        var conflicting = storage.WriteStateAsync(StateName, stale, new GrainState<TestCounterState>(new TestCounterState { Value = 99 }) { ETag = staleState.ETag });

        await Assert.ThrowsAsync<PostgresException>(() => failing);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        await Task.WhenAll(goodWrites);

        Assert.Equal(20L, await ScalarAsync<long>(
            "SELECT count(*) FROM orleansstorage WHERE grainidextensionstring LIKE @prefix AND grainidextensionstring <> @stale",
            ("prefix", prefix + "%"), ("stale", $"{prefix}stale")));
        var read = new GrainState<TestCounterState>(new TestCounterState());
        await storage.ReadStateAsync(StateName, stale, read);
        Assert.Equal(2, read.State!.Value);
    }

    [Fact]
    public async Task ClearStateAsync_StoredState_ReadsAsNewAndCanBeWrittenAgain()
    {
        var storage = SiloStorage();
        var id = CounterId($"clear-{Guid.NewGuid():N}");
        var state = new GrainState<TestCounterState>(new TestCounterState { Value = 5 });
        await storage.WriteStateAsync(StateName, id, state);

        await storage.ClearStateAsync(StateName, id, state);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);

        var read = new GrainState<TestCounterState>(new TestCounterState { Value = 42 });
        await storage.ReadStateAsync(StateName, id, read);
        Assert.Equal(0, read.State!.Value);
        Assert.Equal(state.ETag, read.ETag);

        read.State!.Value = 6;
        await storage.WriteStateAsync(StateName, id, read);
        var again = new GrainState<TestCounterState>(new TestCounterState());
        await storage.ReadStateAsync(StateName, id, again);
        Assert.Equal(6, again.State!.Value);
    }

    public static TheoryData<string> Keys => new() { "string", "integer", "guid", "guid+extension" };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Rows_WrittenByEitherProvider_AreReadAndUpdatedByTheOther(string keyKind)
    {
        var storage = SiloStorage();
        var adoNet = await StartAdoNetStorageAsync();
        var suffix = Guid.NewGuid();
        var id = keyKind switch
        {
            "string" => CounterId($"compat-{suffix:N}"),
            "integer" => GrainId.Create(GrainType.Create("test-counter"), GrainIdKeyExtensions.CreateIntegerKey(suffix.GetHashCode())),
            "guid" => GrainId.Create(GrainType.Create("test-counter"), GrainIdKeyExtensions.CreateGuidKey(suffix)),
            _ => GrainId.Create(GrainType.Create("test-counter"), GrainIdKeyExtensions.CreateGuidKey(suffix, "ext")),
        };

        var written = new GrainState<TestCounterState>(new TestCounterState { Value = 11 });
        await adoNet.WriteStateAsync(StateName, id, written);
        var read = new GrainState<TestCounterState>(new TestCounterState());
        await storage.ReadStateAsync(StateName, id, read);
        Assert.Equal((11, written.ETag), (read.State!.Value, read.ETag));

        read.State!.Value = 12;
        await storage.WriteStateAsync(StateName, id, read);
        var back = new GrainState<TestCounterState>(new TestCounterState());
        await adoNet.ReadStateAsync(StateName, id, back);
        Assert.Equal((12, read.ETag), (back.State!.Value, back.ETag));
        Assert.Equal(1L, await ScalarAsync<long>(
            "SELECT count(*) FROM orleansstorage WHERE graintypestring = @state AND version = @version",
            ("state", StateName), ("version", int.Parse(read.ETag!, System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static GrainId CounterId(string key) => GrainId.Create("test-counter", key);

    private IGrainStorage SiloStorage() => fixture.SiloServices().GetRequiredKeyedService<IGrainStorage>(ProvisioningStorage.Name);

    /// <summary>Orleans' own ADO.NET grain storage on the same database and service, started the way a silo starts it.</summary>
    private async Task<IGrainStorage> StartAdoNetStorageAsync()
    {
        var services = fixture.SiloServices();
        var options = new AdoNetGrainStorageOptions
        {
            Invariant = DatabaseExtensions.OrleansInvariant,
            ConnectionString = fixture.ConnectionString,
            GrainStorageSerializer = services.GetRequiredService<IGrainStorageSerializer>(),
        };
        var storage = new AdoNetGrainStorage(
            services.GetRequiredService<IActivatorProvider>(), NullLogger<AdoNetGrainStorage>.Instance, Options.Create(options),
            services.GetRequiredService<IOptions<ClusterOptions>>(), "adonet");
        var lifecycle = new StartOnlyLifecycle();
        storage.Participate(lifecycle);
        await lifecycle.StartAsync();
        return storage;
    }

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private sealed class StartOnlyLifecycle : ISiloLifecycle
    {
        private readonly List<ILifecycleObserver> _observers = [];

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            _observers.Add(observer);
            return new CancellationTokenSource();
        }

        public async Task StartAsync()
        {
            foreach (var observer in _observers)
            {
                await observer.OnStart(CancellationToken.None);
            }
        }
    }
}
