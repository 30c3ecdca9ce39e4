using Provisioning.Grains;

namespace Provisioning.Tests.Cluster;

/// <summary>A grain with persistent state, only for proving what the ADO.NET storage on PostgreSQL does.</summary>
[Alias("Provisioning.Tests.ITestCounterGrain")]
public interface ITestCounterGrain : IGrainWithStringKey
{
    [Alias("AddAsync")]
    Task<int> AddAsync(int amount);

    [Alias("GetAsync")]
    Task<int> GetAsync();
}

[GenerateSerializer]
public sealed class TestCounterState
{
    [Id(0)] public int Value { get; set; }
}

public sealed class TestCounterGrain(
    [PersistentState("test-counter", ProvisioningStorage.Name)] IPersistentState<TestCounterState> state) : Grain, ITestCounterGrain
{
    public async Task<int> AddAsync(int amount)
    {
        state.State.Value += amount;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);
}
