using System.Net.Http.Json;
using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>Scenario 1: Stripe delivers one event many times at once, and again long after its job ended.</summary>
[Collection(ReliabilityCollection.Name)]
public sealed class DuplicateDeliveryTests(ReliabilitySystem fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task StripeWebhook_EventDeliveredTenTimesConcurrentlyAndAfterTheRun_OneJobOneRun()
    {
        var system = fixture.System;
        var profile = fixture.Profile;
        await system.Simulator.ClearAsync();
        var run = new ScenarioRun("1-duplicate-deliveries");
        var events = Checkouts.For(run, profile.DuplicatedEvents, profile.DuplicatedEvents);
        var copies = events.SelectMany(e => Enumerable.Repeat(e, profile.CopiesPerEvent)).ToArray();
        using var sender = new StripeSender(system.GatewayUrl);
        var checker = new InvariantChecker(system, output, profile);

        await sender.DeliverAsync(copies, run.Deliveries, concurrency: Math.Min(copies.Length, 40), profile.DeliveryDeadline);
        await checker.CheckAsync(run);
        var dispatchesBefore = (await system.Simulator.GetRequestsAsync()).Count(r => events.Any(e => e.Id == r.JobId));
        var historyBefore = await HistoryLengthsAsync(system, events);

        // The same deliveries again, after every job has ended: each answered 2xx, none changes anything.
        run.HealedAt = DateTimeOffset.UtcNow;
        var requestsBefore = run.Deliveries.Requests;
        await sender.DeliverAsync(copies, run.Deliveries, concurrency: Math.Min(copies.Length, 40), profile.DeliveryDeadline);
        var answersAfterRun = run.Deliveries.Requests - requestsBefore;
        run.Figures["redeliveriesAfterRun"] = answersAfterRun;
        await checker.CheckAsync(run);

        Assert.Equal(copies.Length, answersAfterRun);
        Assert.All(run.Deliveries.Events, e => Assert.All(e.Answers, status => Assert.Equal(200, status)));
        Assert.Equal(dispatchesBefore, (await system.Simulator.GetRequestsAsync()).Count(r => events.Any(e => e.Id == r.JobId)));
        Assert.Equal(historyBefore, await HistoryLengthsAsync(system, events));
    }

    private static async Task<string> HistoryLengthsAsync(TestSystem system, IEnumerable<StripeTestEvent> events)
    {
        var lengths = new List<string>();
        foreach (var e in events)
        {
            var job = await system.Http.GetFromJsonAsync<ApiJob>($"/api/jobs/{e.Id}");
            lengths.Add($"{e.Id}:{job!.Status}:{job.History.Count}");
        }

        return string.Join(' ', lengths);
    }
}
