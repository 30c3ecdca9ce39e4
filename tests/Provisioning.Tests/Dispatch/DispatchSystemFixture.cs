using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Dispatch;

/// <summary>The service with its dispatcher pointed at the GitHub Actions simulator (whose runs stay silent); at most 3 requests per attempt.</summary>
public sealed class DispatchSystemFixture : IAsyncLifetime
{
    public TestSystem System { get; } = new() { WithSimulator = true, SiloSettings = { ["Dispatch__MaxTries"] = "3" } };

    public async Task InitializeAsync()
    {
        await System.InitializeAsync();

        // These tests follow dispatches only: the simulator's runs stay silent, so jobs rest at "dispatched".
        await System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", Times: 0));
    }

    public Task DisposeAsync() => System.DisposeAsync();

    /// <summary>Creates a paid job (for a new user unless one is given) through its grain and returns its id.</summary>
    public async Task<string> CreateJobAsync(string? jobId = null, string? userId = null)
    {
        jobId ??= $"evt_{Guid.NewGuid():N}";
        var client = await System.ClientAsync();
        await client.GetGrain<IProvisioningJobGrain>(jobId).CreateAsync(
            new NewJob(jobId, userId ?? $"user_{Guid.NewGuid():N}", $"agent_{Guid.NewGuid():N}", "eu-west", $"cs_{jobId}", DateTimeOffset.UtcNow));
        return jobId;
    }

    public async Task<JobSnapshot> WaitForStatusAsync(string jobId, JobStatus status, TimeSpan? timeout = null)
    {
        var client = await System.ClientAsync();
        var job = await Eventually.UntilAsync(
            () => client.GetGrain<IProvisioningJobGrain>(jobId).GetAsync(), j => j?.Status == status,
            timeout ?? TimeSpan.FromSeconds(30), $"job {jobId} to be {status}");
        return job!;
    }
}
