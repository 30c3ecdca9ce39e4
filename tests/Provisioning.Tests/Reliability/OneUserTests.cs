using Provisioning.Tests.Infrastructure;
using Provisioning.Users;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 8: one user pays for many agents at once, and the silo that hosts the user's slot is killed while the jobs
/// run one after another. The jobs never run two at a time, none is dropped, all end.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class OneUserTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task UserSlot_ManyConcurrentCheckoutsAndSlotSiloKilled_NeverTwoInProgress()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("8-one-user-silo-killed");
        var events = Checkouts.For(run, profile.OneUserCheckouts, users: 1);
        var user = run.Users.Single();
        using var sender = new StripeSender(system.GatewayUrl);

        var burst = sender.DeliverAsync(events, run.Deliveries, concurrency: events.Count, profile.DeliveryDeadline);
        var ids = events.Select(e => e.Id).ToArray();
        await Eventually.UntilAsync(async () => await JobRows.CountAsync(system.ConnectionString, ids, "succeeded") >= 2,
            TimeSpan.FromSeconds(90), "two of the user's jobs succeeded");

        var slot = (await system.ClientAsync()).GetGrain<IUserGrain>(user);
        await slot.GetAsync();
        var victim = await system.SiloHostingAsync(slot);
        await victim.KillAsync();
        run.HealedAt = DateTimeOffset.UtcNow; // recovery counts from the crash
        run.Figures["killedSilo"] = victim.Name;
        run.Figures["succeededBeforeKill"] = await JobRows.CountAsync(system.ConnectionString, ids, "succeeded");

        await system.ReplaceSiloAsync(victim);
        await burst;

        await new InvariantChecker(system, output, profile).CheckAsync(run);
    }
}
