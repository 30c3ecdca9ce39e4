using System.Text.Json;
using Provisioning.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Scenario 12: the inbox's backlog bound (<c>Stripe:Inbox:MaxBacklog</c>, the profile's <see cref="ReliabilityProfile.InboxBound"/>)
/// is reached. Processing is held up (the read model's <c>jobs</c> table is locked, so no job can be created) while half of a
/// burst is acknowledged and fills the backlog past the bound; the other half is then refused with 503 <c>backlog</c> and
/// <c>Retry-After</c>, writing nothing, and retried as Stripe retries. Once the lock is gone, the backlog drains, the
/// retries are acknowledged, and every acknowledged event is processed.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class BacklogBoundTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StripeWebhook_BacklogPastItsBound_BurstRefusedWithRetryAfterThenEverythingProcessed()
    {
        var profile = ReliabilityProfile.Current;
        await using var system = ReliabilitySystem.Create(siloSettings: ("Stripe__Inbox__MaxBacklog", profile.InboxBound.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await system.InitializeAsync();
        var run = new ScenarioRun("12-backlog-bound-reached");
        var events = Checkouts.For(run, profile.BurstEvents, profile.BurstUsers);
        var half = events.Count / 2;
        Assert.True(half >= profile.InboxBound, "the first half of the burst must fill the backlog to its bound");
        using var sender = new StripeSender(system.GatewayUrl);

        await using var stall = await TableLock.TakeAsync(system.ConnectionString, "jobs");
        var stalledAt = DateTimeOffset.UtcNow;
        var fill = sender.DeliverAsync(events.Take(half), run.Deliveries, concurrency: half, profile.DeliveryDeadline);
        await run.Deliveries.UntilAcknowledgedAsync(half, fill, "the first half of the burst acknowledged while processing is held up");
        var full = await Eventually.UntilAsync(
            () => InboxAsync(system), inbox => inbox.GetProperty("full").GetBoolean(), Deadline, "the inbox to measure its backlog at the bound");

        // Every silo admits a delivery on a backlog figure at most two backstop intervals old (1 s each here), stamped before
        // its query: two intervals after the bound was seen, every entry point's figure includes the first half.
        await Task.Delay(TimeSpan.FromSeconds(2));

        // The second half meets the full inbox; the lock goes once each of its events has been refused at least once.
        var refused = events.Skip(half).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var burst = sender.DeliverAsync(events.Skip(half), run.Deliveries, concurrency: events.Count - half, profile.DeliveryDeadline);
        await Eventually.UntilAsync(
            () => Task.FromResult(run.Deliveries.Events.Where(e => refused.Contains(e.EventId)).Count(e => e.Replies.Any(r => r.Reason == "backlog"))),
            count => count == refused.Count || burst.IsCompleted, Deadline, "every event of the second half refused once");
        await stall.ReleaseAsync();
        run.HealedAt = DateTimeOffset.UtcNow;
        await Task.WhenAll(fill, burst);

        var backlogRefusals = run.Deliveries.Events.SelectMany(e => e.Replies).Where(r => r.Reason == "backlog").ToList();
        run.Figures["bound"] = profile.InboxBound;
        run.Figures["backlogWhenFull"] = full.GetProperty("backlog").GetInt64();
        run.Figures["secondsProcessingHeldUp"] = Math.Round((run.HealedAt.Value - stalledAt).TotalSeconds, 1);
        run.Figures["refusals"] = string.Join(", ", run.Deliveries.RefusalCounts.Select(r => $"{r.Key} x{r.Value}"));
        run.Figures["eventsRefusedAtLeastOnce"] = run.Deliveries.Events.Count(e => e.Replies.Any(r => r.Reason == "backlog"));
        await new InvariantChecker(system, output, profile).CheckAsync(run);

        Assert.Contains(events.Skip(half), e => run.Deliveries.Events.Single(d => d.EventId == e.Id).Replies.Any(r => r.Reason == "backlog"));
        Assert.All(backlogRefusals, r => Assert.Equal((503, 5), (r.Status, r.RetryAfterSeconds)));

        // A refused delivery wrote nothing: each event's row is from the delivery that was acknowledged, after its last refusal.
        var rows = await InboxRecords.ReadAsync(system.ConnectionString, events.Select(e => e.Id));
        foreach (var delivery in run.Deliveries.Events.Where(e => e.Replies.Any(r => r.Reason == "backlog")))
        {
            var lastRefusal = delivery.Replies.Where(r => r.Reason == "backlog").Max(r => r.At);
            Assert.True(rows[delivery.EventId].ReceivedAt > lastRefusal,
                $"event {delivery.EventId} was stored at {rows[delivery.EventId].ReceivedAt:HH:mm:ss.fff}, before its last refusal at {lastRefusal:HH:mm:ss.fff}");
        }
    }

    private static async Task<JsonElement> InboxAsync(TestSystem system)
    {
        using var response = await system.Http.GetAsync("/api/stripe/inbox");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }
}
