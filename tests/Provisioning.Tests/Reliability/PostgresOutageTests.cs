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

        var burst = sender.DeliverAsync(events, run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        await run.Deliveries.UntilAcknowledgedAsync(events.Count / 3, burst, "a third of the burst acknowledged");
        var acknowledgedBefore = run.Deliveries.AcknowledgedIds.Count;
        var answersBefore = run.Deliveries.AnswerCounts;

        // The outage is a fault window of a set length.
        await server.StopAsync();
        await Task.Delay(profile.PostgresOutage);
        var answersDuringOutage = run.Deliveries.AnswerCounts
            .Select(a => (a.Key, Count: a.Value - answersBefore.GetValueOrDefault(a.Key))).Where(a => a.Count > 0).ToList();
        await server.StartAsync();
        run.HealedAt = DateTimeOffset.UtcNow;
        await burst;

        run.Figures["outageSeconds"] = profile.PostgresOutage.TotalSeconds;
        run.Figures["acknowledgedBeforeOutage"] = acknowledgedBefore;
        run.Figures["answersDuringOutage"] = string.Join(' ', answersDuringOutage.Select(a => $"{a.Key}={a.Count}"));
        await new InvariantChecker(system, output, profile).CheckAsync(run);

        Assert.Contains(answersDuringOutage, a => a.Key == "503");
    }
}
