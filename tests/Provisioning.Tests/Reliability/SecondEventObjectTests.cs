using System.Net.Http.Json;
using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 11: Stripe generated two Event objects for each paid checkout session (new event id, same session), delivers
/// both many times at once, and both again after the session's job ended. Exactly one job per session: whichever event
/// was stored first creates it, the other is stored as <c>duplicate of</c> it and creates nothing.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class SecondEventObjectTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task StripeWebhook_TwoEventObjectsPerSessionConcurrentlyAndRedelivered_OneJobPerSession()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("11-two-event-objects-per-session");
        var pairs = Checkouts.WithSecondEventObjects(run, profile.SessionsWithTwoEvents, Math.Max(1, profile.SessionsWithTwoEvents / 2));
        // Each session's two events interleaved, each several times, all at once.
        var copies = pairs.SelectMany(p => Enumerable.Range(0, profile.CopiesPerEvent).SelectMany(_ => new[] { p.First, p.Second })).ToArray();
        using var sender = new StripeSender(system.GatewayUrl);
        var checker = new InvariantChecker(system, output, profile);

        await sender.DeliverAsync(copies, run.Deliveries, concurrency: Math.Min(copies.Length, 40), profile.DeliveryDeadline);
        await checker.CheckAsync(run);
        var creators = await CreatorsAsync(system, pairs);
        var dispatchesBefore = await DispatchCountAsync(system, creators);
        var historyBefore = await HistoryLengthsAsync(system, creators);

        // Both Event objects again, after every job ended: answered 200 as duplicates of themselves, nothing changes.
        run.HealedAt = DateTimeOffset.UtcNow;
        var requestsBefore = run.Deliveries.Requests;
        await sender.DeliverAsync(copies, run.Deliveries, concurrency: Math.Min(copies.Length, 40), profile.DeliveryDeadline);
        run.Figures["sessions"] = pairs.Count;
        run.Figures["sessionsWonByTheSecondObject"] = pairs.Count(p => creators.Contains(p.Second.Id));
        run.Figures["redeliveriesAfterRun"] = run.Deliveries.Requests - requestsBefore;
        await checker.CheckAsync(run);

        Assert.All(run.Deliveries.Events, e => Assert.All(e.Replies, r => Assert.Equal(200, r.Status)));
        foreach (var (first, second) in pairs)
        {
            var creator = creators.Single(id => id == first.Id || id == second.Id);
            var other = creator == first.Id ? second.Id : first.Id;
            foreach (var reply in run.Deliveries.Events.Single(e => e.EventId == other).Replies)
            {
                Assert.Equal($"duplicate of {creator}", reply.Outcome);
            }

            Assert.All(run.Deliveries.Events.Single(e => e.EventId == creator).Replies, r => Assert.Equal("job-created", r.Outcome));
        }

        var redelivered = run.Deliveries.Events.SelectMany(e => e.Replies.Where(r => r.At >= run.HealedAt)).ToList();
        Assert.Equal(copies.Length, redelivered.Count);
        Assert.All(redelivered, r => Assert.True(r.Duplicate));
        Assert.Equal(dispatchesBefore, await DispatchCountAsync(system, creators));
        Assert.Equal(historyBefore, await HistoryLengthsAsync(system, creators));
    }

    /// <summary>The event of each session that created its job, as the inbox stored it.</summary>
    private static async Task<HashSet<string>> CreatorsAsync(TestSystem system, IEnumerable<(StripeTestEvent First, StripeTestEvent Second)> pairs)
    {
        var rows = await InboxRecords.ReadAsync(system.ConnectionString, pairs.SelectMany(p => new[] { p.First.Id, p.Second.Id }));
        return [.. rows.Values.Where(r => r.CreatesJob).Select(r => r.EventId)];
    }

    private static async Task<int> DispatchCountAsync(TestSystem system, IReadOnlySet<string> jobIds) =>
        (await system.Simulator.GetRequestsAsync()).Count(r => r.JobId is not null && jobIds.Contains(r.JobId));

    private static async Task<string> HistoryLengthsAsync(TestSystem system, IEnumerable<string> jobIds)
    {
        var lengths = new List<string>();
        foreach (var id in jobIds.Order(StringComparer.Ordinal))
        {
            var job = await system.Http.GetFromJsonAsync<ApiJob>($"/api/jobs/{id}");
            lengths.Add($"{id}:{job!.Status}:{job.History.Count}");
        }

        return string.Join(' ', lengths);
    }
}
