using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>Scenario 2: a silo is killed with SIGKILL in the middle of a webhook burst, then a new one takes its place.</summary>
[Collection(ReliabilityCollection.Name)]
public sealed class SiloCrashTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task WebhookBurst_SiloKilledAndRestarted_NoAcknowledgedEventLost()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("2-silo-killed-during-burst");
        var events = Checkouts.For(run, profile.BurstEvents, profile.BurstUsers);
        using var sender = new StripeSender(system.GatewayUrl);

        var burst = sender.DeliverAsync(events, run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        await run.Deliveries.UntilAcknowledgedAsync(events.Count / 3, burst, "a third of the burst acknowledged");

        var victim = system.Silos[0];
        await victim.KillAsync();
        run.Figures["killedSilo"] = victim.Name;
        run.Figures["acknowledgedBeforeKill"] = run.Deliveries.AcknowledgedIds.Count;
        // A crash is over the moment it happens: recovery counts from here, the survivor must carry on alone.
        run.HealedAt = DateTimeOffset.UtcNow;

        // The survivor carries on alone until the burst has moved on, then a new silo joins.
        await run.Deliveries.UntilAcknowledgedAsync(events.Count * 2 / 3, burst, "two thirds of the burst acknowledged with one silo killed");
        await system.ReplaceSiloAsync(victim);
        run.Figures["secondsWithOneSilo"] = Math.Round((DateTimeOffset.UtcNow - run.HealedAt.Value).TotalSeconds, 1);
        await burst;

        await new InvariantChecker(system, output, profile).CheckAsync(run);
    }
}
