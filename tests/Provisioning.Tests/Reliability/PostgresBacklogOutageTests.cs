using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 10: PostgreSQL stops while the inbox holds a backlog of acknowledged checkouts that are being processed, for the
/// profile's outage time, then starts again. Each silo of this system processes one event at a time, so half of the burst,
/// delivered at once, is acknowledged well ahead of its processing; the database stops then. The other half is delivered
/// during the outage and must be refused (503, never a 200 for an event that was not stored); everything acknowledged
/// before the outage must be processed after it. The system has its own PostgreSQL server, so that stopping it hurts no
/// other test.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class PostgresBacklogOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task InboxBacklog_PostgresStoppedWhileProcessing_OutageDeliveriesRefusedAndBacklogProcessedAfterwards()
    {
        var profile = ReliabilityProfile.Current;
        await using var server = await PostgresServer.StartNewAsync();
        await using var system = ReliabilitySystem.Create(server.AdminConnectionString, ("Stripe__Inbox__ProcessingConcurrency", "1"));
        await system.InitializeAsync();
        var run = new ScenarioRun("10-postgres-outage-with-backlog");
        var events = Checkouts.For(run, profile.BurstEvents, profile.BurstUsers);
        var half = events.Count / 2;
        using var sender = new StripeSender(system.GatewayUrl);

        var first = sender.DeliverAsync(events.Take(half), run.Deliveries, concurrency: half, profile.DeliveryDeadline);
        await run.Deliveries.UntilAcknowledgedAsync(half, first, "the first half of the burst acknowledged");
        var acknowledgedBefore = run.Deliveries.AcknowledgedIds;
        var backlogAtStop = await InboxRecords.CountUnprocessedAsync(system.ConnectionString, acknowledgedBefore);
        Assert.True(backlogAtStop > 0, $"all {acknowledgedBefore.Count} acknowledged events were processed before the database stopped: there was no backlog to interrupt");
        var answersBefore = run.Deliveries.AnswerCounts;

        // The outage is a fault window of a set length; the second half is delivered (and retried) all through it.
        await server.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var second = sender.DeliverAsync(events.Skip(half), run.Deliveries, profile.Concurrency, profile.DeliveryDeadline);
        await Task.Delay(profile.PostgresOutage);
        var answersDuringOutage = run.Deliveries.AnswerCounts
            .Select(a => (a.Key, Count: a.Value - answersBefore.GetValueOrDefault(a.Key))).Where(a => a.Count > 0).ToList();
        await server.StartAsync();
        run.HealedAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(first, second);

        run.Figures["outageSeconds"] = profile.PostgresOutage.TotalSeconds;
        run.Figures["acknowledgedBeforeOutage"] = acknowledgedBefore.Count;
        run.Figures["backlogAtStop"] = backlogAtStop;
        run.Figures["answersDuringOutage"] = string.Join(' ', answersDuringOutage.Select(a => $"{a.Key}={a.Count}"));
        var processedAfterOutage = 0;
        run.AfterSettled = async () =>
        {
            var rows = await InboxRecords.ReadAsync(system.ConnectionString, acknowledgedBefore);
            processedAfterOutage = rows.Values.Count(r => r.ProcessedAt >= stoppedAt);
            run.Figures["backlogProcessedAfterOutage"] = processedAfterOutage;
            run.Figures["backlogProcessAttempts"] = string.Join(' ', rows.Values.GroupBy(r => r.Attempts).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));
        };
        await new InvariantChecker(system, output, profile).CheckAsync(run);

        Assert.True(processedAfterOutage > 0, "the whole backlog was processed before the database stopped: no processing was interrupted");
        Assert.Contains(answersDuringOutage, a => a.Key == "503");
        Assert.DoesNotContain(answersDuringOutage, a => a.Key.StartsWith('2'));
    }
}
