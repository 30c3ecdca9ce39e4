using System.Net.Http.Json;
using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 7: some runs go silent after their claim (a hung runner), one is never picked up, and one job's runs all hang.
/// The watchdog (heartbeat timeout 5 s, claim timeout 20 s in this system) gives the stalled attempts up and dispatches
/// new ones; the job whose every run hangs fails after its last attempt. No stalled run's later callbacks count.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class HeartbeatLossTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Watchdog_HeartbeatsLostForSomeRuns_StalledAttemptsRedispatchedOrFailed()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("7-heartbeats-lost");
        var count = Math.Max(profile.BurstEvents / 2, profile.StalledRuns + 2);
        var events = Checkouts.For(run, count, count);

        var stalled = events.Take(profile.StalledRuns).ToArray();
        foreach (var e in stalled)
        {
            await system.Simulator.AddBehaviourAsync(new SimulatorBehaviour("stop-heartbeats", JobId: e.Id));
            run.ExpectRetried.Add(e.Id);
        }

        var neverPicked = events[profile.StalledRuns];
        await system.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", JobId: neverPicked.Id));
        run.ExpectRetried.Add(neverPicked.Id);

        var alwaysHangs = events[profile.StalledRuns + 1];
        await system.Simulator.AddBehaviourAsync(new SimulatorBehaviour("stop-heartbeats", JobId: alwaysHangs.Id, Times: 0));
        run.ExpectedStatuses[alwaysHangs.Id] = ["failed"];

        using var sender = new StripeSender(system.GatewayUrl);
        await sender.DeliverAsync(events, run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        run.HealedAt = DateTimeOffset.UtcNow;
        run.Figures["runsMadeToStall"] = stalled.Length + 2;

        await new InvariantChecker(system, output, profile).CheckAsync(run);

        var hung = await system.Http.GetFromJsonAsync<ApiJob>($"/api/jobs/{alwaysHangs.Id}");
        Assert.Equal(4, hung!.Attempt);
        Assert.Contains("no heartbeat", hung.LastError, StringComparison.Ordinal);
        var silentJob = await system.Http.GetFromJsonAsync<ApiJob>($"/api/jobs/{neverPicked.Id}");
        Assert.Contains(silentJob!.History, h => h.Reason.Contains("no claim within", StringComparison.Ordinal));
    }
}
