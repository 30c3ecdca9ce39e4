using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Dispatch;

/// <summary>Dispatch through crashes and differently configured deployments; each test runs its own system.</summary>
public sealed class DispatchFaultTests
{
    [Fact]
    public async Task Dispatch_HostingSiloKilledWhileGitHubFails_SurvivorDispatchesExactlyOnce()
    {
        await using var system = new TestSystem { WithSimulator = true, SiloCount = 2, SiloSettings = { ["Dispatch__MaxTries"] = "50" } };
        await system.InitializeAsync();
        var jobId = $"evt_{Guid.NewGuid():N}";
        await system.Simulator.AddFaultAsync(new SimulatorFault("status", Times: 0, JobId: jobId, Status: 503));
        var client = await system.ClientAsync();
        await client.GetGrain<IProvisioningJobGrain>(jobId).CreateAsync(
            new NewJob(jobId, $"user_{Guid.NewGuid():N}", "agent", "us-east", null, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(async () => (await system.Simulator.GetRequestsAsync(jobId)).Count >= 2,
            TimeSpan.FromSeconds(30), "failing dispatch requests");

        var host = await HostingSiloAsync(system, jobId);
        await host.KillAsync();
        await system.Simulator.ClearAsync();

        var job = await Eventually.UntilAsync(() => client.GetGrain<IProvisioningJobGrain>(jobId).GetAsync(),
            j => j?.Status is JobStatus.Dispatched or JobStatus.Provisioning or JobStatus.Succeeded,
            TimeSpan.FromSeconds(90), "the job dispatched by the surviving silo");
        var successes = (await system.Simulator.GetRequestsAsync(jobId)).Where(r => r.Status is 200 or 204).ToArray();
        var success = Assert.Single(successes);
        Assert.Equal(success.RunId?.ToString(), job!.RunId);
        Assert.Single(job.History, e => e.To == JobStatus.Dispatched);
    }

    [Fact]
    public async Task Dispatch_OriginalAppVariables_ConfigureAWorkingDispatcher()
    {
        await using var system = new TestSystem
        {
            WithSimulator = true,
            SiloSettings =
            {
                ["GitHub__Token"] = null,
                ["GitHub__Owner"] = null,
                ["GitHub__Repo"] = null,
                ["Gateway__PublicUrl"] = null,
                ["GITHUB_PAT"] = TestSecrets.GitHubToken,
                ["GITHUB_REPO_OWNER"] = "acme",
                ["GITHUB_REPO_NAME"] = "agents",
                ["NEXT_PUBLIC_APP_URL"] = "https://aura.example.com",
            },
        };
        await system.InitializeAsync();
        // The callback address is not on this machine: the simulated run must not try to reach it.
        await system.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", Times: 0));
        var jobId = $"evt_{Guid.NewGuid():N}";
        var client = await system.ClientAsync();

        await client.GetGrain<IProvisioningJobGrain>(jobId).CreateAsync(
            new NewJob(jobId, $"user_{Guid.NewGuid():N}", "agent", "us-east", null, DateTimeOffset.UtcNow));
        await Eventually.UntilAsync(() => client.GetGrain<IProvisioningJobGrain>(jobId).GetAsync(),
            j => j?.Status == JobStatus.Dispatched, TimeSpan.FromSeconds(30), "the job dispatched");

        var request = Assert.Single(await system.Simulator.GetRequestsAsync(jobId));
        Assert.Equal(200, request.Status);
        Assert.Equal("https://aura.example.com/api/webhooks/github",
            request.Body!.Value.GetProperty("inputs").GetProperty("callback_url").GetString());
    }

    [Fact]
    public async Task Dispatch_ServerRefusesRunDetails_RetriesWithoutAndRemembersForTheProcess()
    {
        await using var system = new TestSystem { WithSimulator = true };
        await system.InitializeAsync();
        await system.Simulator.AddFaultAsync(new SimulatorFault("reject-run-details", Times: 0));
        await system.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", Times: 0));
        var client = await system.ClientAsync();
        var jobs = new[] { $"evt_{Guid.NewGuid():N}", $"evt_{Guid.NewGuid():N}" };

        foreach (var jobId in jobs)
        {
            await client.GetGrain<IProvisioningJobGrain>(jobId).CreateAsync(
                new NewJob(jobId, $"user_{Guid.NewGuid():N}", "agent", "us-east", null, DateTimeOffset.UtcNow));
            await Eventually.UntilAsync(() => client.GetGrain<IProvisioningJobGrain>(jobId).GetAsync(),
                j => j?.Status == JobStatus.Dispatched, TimeSpan.FromSeconds(30), $"job {jobId} dispatched");
        }

        Assert.Equal([400, 204], (await system.Simulator.GetRequestsAsync(jobs[0])).Select(r => r.Status));
        var second = Assert.Single(await system.Simulator.GetRequestsAsync(jobs[1]));
        Assert.Equal(204, second.Status);
        Assert.False(second.Body!.Value.TryGetProperty("return_run_details", out _));
    }

    [Fact]
    public async Task Silo_WithoutGitHubSettings_ExitsNamingEachMissingKey()
    {
        await using var silo = HostProcess.Start("Silo", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Provisioning"] = "Host=127.0.0.1;Port=1;Username=postgres",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        Assert.NotEqual(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("GitHub:Token (or GITHUB_PAT)", silo.Output);
        Assert.Contains("GitHub:Owner (or GITHUB_REPO_OWNER)", silo.Output);
        Assert.Contains("Gateway:PublicUrl (or NEXT_PUBLIC_APP_URL)", silo.Output);
    }

    /// <summary>The silo process whose address the membership table gives for the job's activation.</summary>
    private static async Task<HostProcess> HostingSiloAsync(TestSystem system, string jobId)
    {
        var client = await system.ClientAsync();
        var address = await client.GetGrain<IManagementGrain>(0)
            .GetActivationAddress(client.GetGrain<IProvisioningJobGrain>(jobId));
        Assert.NotNull(address);
        var name = system.Cluster.SiloPorts.Single(p => p.Value == address.Endpoint.Port).Key;
        return system.Silos.Single(s => s.Name == name);
    }
}
