using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 5: GitHub fails every dispatch during a burst, first with 503s, then with secondary rate limits (429 with
/// <c>retry-after</c>), for the profile's outage time. Dispatches retry with backoff, honour <c>retry-after</c>, and every
/// job runs once GitHub is back.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class GitHubOutageTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    private const int RetryAfterSeconds = 3;

    [Fact]
    public async Task Dispatch_GitHubAnswers5xxThen429DuringBurst_EveryJobRunsAfterwards()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("5-github-outage");
        var events = Checkouts.For(run, profile.BurstEvents, profile.BurstUsers);
        using var sender = new StripeSender(system.GatewayUrl);

        await system.Simulator.AddFaultAsync(new SimulatorFault("status", Times: 0, Status: 503));
        var burst = sender.DeliverAsync(events, run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);

        // The outage is a fault window of a set length: half of it 503s, the other half rate limits.
        await Task.Delay(profile.GitHubOutage / 2);
        await system.Simulator.ClearFaultsAsync();
        await system.Simulator.AddFaultAsync(new SimulatorFault("rate-limit", Times: 0, Status: 429, Seconds: RetryAfterSeconds));
        await Task.Delay(profile.GitHubOutage / 2);
        await system.Simulator.ClearFaultsAsync();
        run.HealedAt = DateTimeOffset.UtcNow;
        await burst;

        var ids = events.Select(e => e.Id).ToHashSet();
        var requests = (await system.Simulator.GetRequestsAsync()).Where(r => r.JobId is not null && ids.Contains(r.JobId)).ToList();
        run.Figures["dispatchesAnswered503"] = requests.Count(r => r.Status == 503);
        run.Figures["dispatchesAnswered429"] = requests.Count(r => r.Status == 429);
        run.Figures["outageSeconds"] = profile.GitHubOutage.TotalSeconds;

        await new InvariantChecker(system, output, profile).CheckAsync(run);
        Assert.Contains(requests, r => r.Status == 503);
        Assert.Contains(requests, r => r.Status == 429);
    }
}
