using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 4: PostgreSQL stops in the middle of a webhook burst, for the profile's outage time, then starts again. The
/// webhook answers 503 meanwhile (never a 2xx it cannot keep); Stripe-like retries deliver every event once the database
/// is back, and every job runs. The system has its own PostgreSQL server, so that stopping it hurts no other test.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WebhookBurst_PostgresStoppedForAWhile_503sThenEverythingProcessed()
    {
        var profile = ReliabilityProfile.Current;
        await using var server = await PostgresServer.StartNewAsync();
        await using var system = ReliabilitySystem.Create(server.AdminConnectionString);
        await system.InitializeAsync();
        var run = new ScenarioRun("4-postgres-outage");
        var events = Checkouts.For(run, profile.BurstEvents, profile.BurstUsers);
        using var sender = new StripeSender(system.GatewayUrl);

        // A third of the burst is acknowledged first; the second third is in flight as the database stops; the last
        // third is sent once it is down (so some deliveries meet the outage however fast the others were answered),
        // and every delivery is retried the way Stripe retries until it is acknowledged.
        var third = events.Count / 3;
        await sender.DeliverAsync(events.Take(third), run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        var acknowledgedBefore = run.Deliveries.AcknowledgedIds.Count;
        var answersBefore = run.Deliveries.AnswerCounts;
        var inFlightAtStop = sender.DeliverAsync(events.Skip(third).Take(third), run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);

        // The outage is a fault window of a set length.
        await server.StopAsync();
        var sentDuringOutage = sender.DeliverAsync(events.Skip(2 * third), run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        await Task.Delay(profile.PostgresOutage);
        var answersDuringOutage = run.Deliveries.AnswerCounts
            .Select(a => (a.Key, Count: a.Value - answersBefore.GetValueOrDefault(a.Key))).Where(a => a.Count > 0).ToList();
        await server.StartAsync();
        run.HealedAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(inFlightAtStop, sentDuringOutage);

        run.Figures["outageSeconds"] = profile.PostgresOutage.TotalSeconds;
        run.Figures["acknowledgedBeforeOutage"] = acknowledgedBefore;
        run.Figures["answersDuringOutage"] = string.Join(' ', answersDuringOutage.Select(a => $"{a.Key}={a.Count}"));
        await new InvariantChecker(system, output, profile).CheckAsync(run);

        Assert.Contains(answersDuringOutage, a => a.Key == "503");
    }
}
