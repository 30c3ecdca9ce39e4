using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 3: the silo that hosts queued jobs is killed while their dispatch keeps failing (GitHub holds every dispatch
/// request until the dispatcher gives up), so the jobs die between <c>queued</c> and <c>dispatched</c>. Their reminders
/// must bring them back on another silo and dispatch them once GitHub answers again.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class DispatchCrashTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task QueuedJobs_HostingSiloKilledBeforeDispatch_DispatchedElsewhereAndSucceed()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("3-silo-killed-before-dispatch");
        var events = Checkouts.For(run, profile.DispatchCrashJobs, profile.DispatchCrashJobs);
        foreach (var e in events)
        {
            await system.Simulator.AddFaultAsync(new SimulatorFault("timeout", Times: 0, JobId: e.Id, Seconds: 30));
        }

        using var sender = new StripeSender(system.GatewayUrl);
        await sender.DeliverAsync(events, run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        await Eventually.UntilAsync(async () =>
            {
                var requests = await system.Simulator.GetRequestsAsync();
                return events.All(e => requests.Any(r => r.JobId == e.Id));
            }, TimeSpan.FromSeconds(60), "a dispatch request of every job");

        // Kill the silo that hosts most of the jobs; each is still queued, its dispatch failing.
        var client = await system.ClientAsync();
        var hosts = new List<(string JobId, HostProcess Silo)>();
        foreach (var e in events)
        {
            var job = client.GetGrain<IProvisioningJobGrain>(e.Id);
            Assert.Equal(JobStatus.Queued, (await job.GetAsync())!.Status);
            hosts.Add((e.Id, await system.SiloHostingAsync(job)));
        }

        var victim = hosts.GroupBy(h => h.Silo).OrderByDescending(g => g.Count()).First();
        await victim.Key.KillAsync();
        run.Figures["killedSilo"] = victim.Key.Name;
        run.Figures["queuedJobsOnKilledSilo"] = victim.Count();

        // GitHub answers again (recovery counts from here: the survivor must take the jobs over), then a new silo joins.
        await system.Simulator.ClearFaultsAsync();
        run.HealedAt = DateTimeOffset.UtcNow;
        await system.ReplaceSiloAsync(victim.Key);

        await new InvariantChecker(system, output, profile).CheckAsync(run);

        // The jobs that died with their silo were dispatched afterwards, by a survivor.
        var requests = await system.Simulator.GetRequestsAsync();
        Assert.All(victim, hosted => Assert.Contains(requests, r => r.JobId == hosted.JobId && r.RunId is not null && r.ReceivedAt >= run.HealedAt));
    }
}
