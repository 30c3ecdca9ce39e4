using System.Diagnostics;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Reliability;
using Xunit.Abstractions;

namespace Provisioning.Tests.MultiHost;

/// <summary>
/// Network faults between the hosts of the cluster, each under steady checkout traffic, each checked by the invariant
/// checker (I1-I6) once the fault healed. Figures go to <c>.local/reliability/</c> like the other scenarios'.
/// </summary>
[Collection(MultiHostCollection.Name)]
public sealed class MultiHostFaultTests(MultiHostSystem fixture, ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.RestoreAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [NetworkFact]
    public async Task SiloPartitionedFromTheOtherSilosAndTheGateway_IsDeclaredDead_ItsWorkGoesOn_AndANewProcessRejoins()
    {
        var (system, run, sender, traffic) = StartTraffic("m1-silo-partitioned");
        await run.Deliveries.UntilAcknowledgedAsync(fixture.Profile.Checkouts / 4, traffic, "a quarter of the traffic acknowledged");
        var victim = await BusiestSiloAsync(run);
        var host = system.HostOf(victim);
        var generation = await Membership.ActiveGenerationAsync(system, host);

        var others = system.Silos.Where(s => s != victim).Select(s => system.HostOf(s).Name).Append("gateway").ToList();
        var fault = Stopwatch.StartNew();
        foreach (var other in others)
        {
            await fixture.CutAsync(host.Name, other);
        }

        run.Figures["membershipConvergedSeconds"] = Seconds(await Membership.UntilDeadAsync(system, host, generation, fault, fixture.Profile.MembershipBound));
        // Declared dead, the partitioned silo stops itself: it must not go on acting for grains that now live elsewhere.
        await victim.WaitForExitAsync(fixture.Profile.MembershipBound);
        run.Figures["partitionedSiloExitedAfterSeconds"] = Seconds(fault.Elapsed);
        await UntilAsync(fault, fixture.Profile.FaultWindow);

        foreach (var other in others)
        {
            await fixture.HealAsync(host.Name, other);
        }

        run.HealedAt = DateTimeOffset.UtcNow;
        var rejoin = Stopwatch.StartNew();
        var replacement = await system.ReplaceSiloAsync(victim);
        await Membership.ActiveGenerationAsync(system, system.HostOf(replacement));
        run.Figures["rejoinedSeconds"] = Seconds(rejoin.Elapsed);

        await traffic;
        await CheckAsync(run, sender);
    }

    [NetworkFact]
    public async Task SiloPausedPastTheProbeTimeout_IsDeclaredDead_AndAfterResumingDoesNotActForItsFormerGrains()
    {
        var (system, run, sender, traffic) = StartTraffic("m2-silo-paused");
        await run.Deliveries.UntilAcknowledgedAsync(fixture.Profile.Checkouts / 4, traffic, "a quarter of the traffic acknowledged");
        var victim = await BusiestSiloAsync(run);
        var host = system.HostOf(victim);
        var generation = await Membership.ActiveGenerationAsync(system, host);

        var fault = Stopwatch.StartNew();
        victim.Pause();
        run.Figures["membershipConvergedSeconds"] = Seconds(await Membership.UntilDeadAsync(system, host, generation, fault, fixture.Profile.MembershipBound));
        await UntilAsync(fault, fixture.Profile.FaultWindow);
        victim.Resume();
        run.Figures["pausedSeconds"] = Seconds(fault.Elapsed);

        // Woken, it finds itself declared dead and stops; a second run for any attempt would show in I3.
        await victim.WaitForExitAsync(fixture.Profile.MembershipBound);
        run.HealedAt = DateTimeOffset.UtcNow;
        await system.ReplaceSiloAsync(victim);

        await traffic;
        await CheckAsync(run, sender);
    }

    [NetworkFact]
    public async Task GatewayCutFromOneSilo_DeliveriesAreAcknowledgedThroughTheOthers()
    {
        var (system, run, sender, traffic) = StartTraffic("m3-gateway-cut-from-silo");
        await run.Deliveries.UntilAcknowledgedAsync(fixture.Profile.Checkouts / 4, traffic, "a quarter of the traffic acknowledged");
        var acknowledgedBefore = run.Deliveries.AcknowledgedIds.Count;

        var fault = Stopwatch.StartNew();
        await fixture.CutAsync("gateway", "silo-3");
        await UntilAsync(fault, fixture.Profile.FaultWindow);
        var acknowledgedDuringCut = run.Deliveries.AcknowledgedIds.Count - acknowledgedBefore;
        await fixture.HealAsync("gateway", "silo-3");
        run.HealedAt = DateTimeOffset.UtcNow;
        run.Figures["acknowledgedDuringCut"] = acknowledgedDuringCut;

        await traffic;
        var figures = await CheckAsync(run, sender);
        // Steady traffic went on being stored while the gateway could not reach one of the three silos: about two thirds
        // of it enters through the other two; a third of the window's traffic is the bar.
        Assert.True(acknowledgedDuringCut >= fixture.Profile.CheckoutsPerSecond * fixture.Profile.FaultWindow.TotalSeconds / 3,
            $"only {acknowledgedDuringCut} deliveries acknowledged during the {fixture.Profile.FaultWindow.TotalSeconds:0} s cut");
        Assert.Equal(0, figures.Lost);
    }

    [NetworkFact]
    public async Task SiloCutFromPostgres_AcknowledgesNothingItCannotStore_AndRecoversOrLeaves()
    {
        var (system, run, sender, traffic) = StartTraffic("m4-silo-cut-from-postgres");
        var victim = system.Silos[1];
        var host = system.HostOf(victim);
        await run.Deliveries.UntilAcknowledgedAsync(fixture.Profile.Checkouts / 4, traffic, "a quarter of the traffic acknowledged");

        var fault = Stopwatch.StartNew();
        await fixture.CutAsync(host.Name, "postgres");
        await UntilAsync(fault, fixture.Profile.FaultWindow);
        await fixture.HealAsync(host.Name, "postgres");
        run.HealedAt = DateTimeOffset.UtcNow;
        run.Figures["siloLeft"] = victim.HasExited;
        if (victim.HasExited)
        {
            await system.ReplaceSiloAsync(victim);
        }

        await traffic;
        // I1 and I6: every acknowledged delivery was durable (stored and carried out), whichever silo took it.
        await CheckAsync(run, sender);
    }

    [NetworkFact]
    public async Task RollingRestartOfEverySilo_UnderTwentyCheckoutsPerSecond_AnswersOnly200Or503WithRetryAfter()
    {
        var profile = fixture.Profile;
        var system = fixture.System;
        var run = new ScenarioRun("m5-rolling-restart");
        // Long enough to cover three graceful stops and starts; two checkouts per user, so users' slots queue a little.
        var count = (int)(profile.RollingCheckoutsPerSecond * 45);
        var events = Checkouts.For(run, count, count / 2);
        var sender = new StripeSender(system.GatewayUrl);
        var traffic = sender.DeliverSteadilyAsync(events, run.Deliveries, profile.RollingCheckoutsPerSecond, ReliabilityProfile.Current.DeliveryDeadline);
        await run.Deliveries.UntilAcknowledgedAsync(count / 10, traffic, "a tenth of the traffic acknowledged");

        var rolling = Stopwatch.StartNew();
        foreach (var silo in system.Silos.ToArray())
        {
            Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(40)));
            await system.ReplaceSiloAsync(silo);
        }

        run.Figures["rollingRestartSeconds"] = Seconds(rolling.Elapsed);
        run.Figures["checkoutsPerSecond"] = profile.RollingCheckoutsPerSecond;
        run.HealedAt = DateTimeOffset.UtcNow;
        await traffic;

        var wrong = run.Deliveries.Events.SelectMany(e => e.Replies)
            .Where(r => !(r.Status == 200 || (r.Status == 503 && r.RetryAfterSeconds is > 0)))
            .Select(r => r.Describe())
            .ToList();
        Assert.True(wrong.Count == 0, $"answers other than 200 or 503 with Retry-After: {string.Join(", ", wrong.Distinct())}");
        await CheckAsync(run, sender);
    }

    /// <summary>The fault hits the silo holding the most jobs, so that the most work has to move.</summary>
    private async Task<HostProcess> BusiestSiloAsync(ScenarioRun run)
    {
        var (silo, counts) = await Membership.BusiestSiloAsync(fixture.System);
        output.WriteLine($"job activations before the fault: {counts}; the fault hits {silo.Name}");
        run.Figures["victim"] = silo.Name;
        return silo;
    }

    private (TestSystem System, ScenarioRun Run, StripeSender Sender, Task Traffic) StartTraffic(string name)
    {
        var profile = fixture.Profile;
        var run = new ScenarioRun(name);
        var events = Checkouts.For(run, profile.Checkouts, Math.Max(4, profile.Checkouts / 3));
        var sender = new StripeSender(fixture.System.GatewayUrl);
        var traffic = sender.DeliverSteadilyAsync(events, run.Deliveries, profile.CheckoutsPerSecond, ReliabilityProfile.Current.DeliveryDeadline);
        return (fixture.System, run, sender, traffic);
    }

    private async Task<ScenarioFigures> CheckAsync(ScenarioRun run, StripeSender sender)
    {
        using (sender)
        {
            run.Figures["profile"] = fixture.Profile.Name;
            return await new InvariantChecker(fixture.System, output, ReliabilityProfile.Current).CheckAsync(run);
        }
    }

    /// <summary>Holds a fault for its window: the traffic keeps flowing meanwhile.</summary>
    private static async Task UntilAsync(Stopwatch since, TimeSpan window)
    {
        if (window > since.Elapsed)
        {
            await Task.Delay(window - since.Elapsed);
        }
    }

    private static double Seconds(TimeSpan elapsed) => Math.Round(elapsed.TotalSeconds, 1);
}
