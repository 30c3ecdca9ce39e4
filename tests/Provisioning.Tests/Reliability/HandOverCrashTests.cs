using System.Text.RegularExpressions;
using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 9: the silo that stored (and acknowledged) a burst of checkouts is killed with SIGKILL before it handed them
/// all to their grains. Each silo of this system processes one event at a time, so the burst is acknowledged faster than it
/// is handed over and acknowledged events wait in the storing silo's memory when it dies. The other silo's backstop must
/// take each of them once its hand-over lease lapses and create its job within <see cref="ReliabilityProfile.BackstopBound"/>.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed partial class HandOverCrashTests(ITestOutputHelper output)
{
    /// <summary><c>Stripe:Inbox:HandOverLease</c>, the default the system runs with.</summary>
    private static readonly TimeSpan HandOverLease = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AcknowledgedCheckouts_StoringSiloKilledBeforeHandOver_OtherSilosBackstopCreatesEveryJob()
    {
        var profile = ReliabilityProfile.Current;
        await using var system = ReliabilitySystem.Create(siloSettings: ("Stripe__Inbox__ProcessingConcurrency", "1"));
        await system.InitializeAsync();
        var run = new ScenarioRun("9-silo-killed-before-hand-over");
        var events = Checkouts.For(run, profile.BurstEvents, profile.BurstUsers);
        using var sender = new StripeSender(system.GatewayUrl);

        // The whole burst at once, so that it is acknowledged well ahead of its processing; the kill comes at half of it.
        var burst = sender.DeliverAsync(events, run.Deliveries, concurrency: events.Count, profile.DeliveryDeadline);
        await run.Deliveries.UntilAcknowledgedAsync(events.Count / 2, burst, "half of the burst acknowledged");
        var victim = system.Silos.OrderByDescending(silo => StoredBy(silo, events).Count).First();
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        var acknowledgedBeforeKill = run.Deliveries.AcknowledgedIds.Count;
        run.HealedAt = killedAt; // a crash is over the moment it happens: the survivor must carry on alone
        var survivor = system.Silos.Single(s => s != victim);

        // What the victim had stored (its log says so) and not processed when it died, still under its hand-over lease (not
        // taken by a backstop pass, whose own lease is longer): the other silo's backstop's work.
        var stored = StoredBy(victim, events);
        var inbox = await InboxRecords.ReadAsync(system.ConnectionString, stored);
        var unprocessed = inbox.Values.Where(r => r.ProcessedAt is not { } at || at > killedAt).ToList();
        var held = unprocessed.Where(r => r.ClaimedUntil <= killedAt + HandOverLease).Select(r => r.EventId).ToList();
        Assert.True(held.Count > 0, $"{victim.Name} had processed or passed to a backstop all {stored.Count} events it stored when it was killed");

        // Straight from the database: GET /api/jobs/{id} would carry out a stored checkout itself and hide the backstop.
        var processed = await Eventually.UntilAsync(
            () => InboxRecords.ReadAsync(system.ConnectionString, held),
            rows => rows.Values.All(r => r.Processed),
            ReliabilityProfile.BackstopBound, $"the {held.Count} events {victim.Name} held to be processed by {survivor.Name}'s backstop",
            poll: TimeSpan.FromMilliseconds(250));
        var lastJobAfter = processed.Values.Max(r => r.ProcessedAt!.Value) - killedAt;
        var takenByBackstop = TakenByBackstop(survivor);

        run.Figures["killedSilo"] = victim.Name;
        run.Figures["acknowledgedBeforeKill"] = acknowledgedBeforeKill;
        run.Figures["storedByKilledSilo"] = stored.Count;
        run.Figures["heldAtKill"] = held.Count;
        run.Figures["takenByKilledSilosBackstop"] = unprocessed.Count - held.Count;
        run.Figures["takenBySurvivorBackstop"] = takenByBackstop;
        run.Figures["secondsFromKillToLastBackstopJob"] = Math.Round(lastJobAfter.TotalSeconds, 1);

        await system.ReplaceSiloAsync(victim);
        await burst;
        await new InvariantChecker(system, output, profile).CheckAsync(run);

        Assert.True(takenByBackstop >= held.Count, $"{survivor.Name}'s backstop took {takenByBackstop} events, fewer than the {held.Count} the killed silo held");
        Assert.True(lastJobAfter <= ReliabilityProfile.BackstopBound);
    }

    /// <summary>The events <paramref name="silo"/> stored, by its log (event 2201, "Stripe event {id} ({type}) stored: ...").</summary>
    private static List<string> StoredBy(HostProcess silo, IEnumerable<StripeTestEvent> events)
    {
        var log = silo.Output;
        return [.. events.Where(e => log.Contains($"Stripe event {e.Id} ({e.Type}) stored:", StringComparison.Ordinal)).Select(e => e.Id)];
    }

    /// <summary>How many events <paramref name="silo"/>'s backstop took, by its log (event 2220, "taking {n} Stripe events ...").</summary>
    private static int TakenByBackstop(HostProcess silo) =>
        BackstopTaking().Matches(silo.Output).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"Inbox backstop: taking (\d+) Stripe events")]
    private static partial Regex BackstopTaking();
}
