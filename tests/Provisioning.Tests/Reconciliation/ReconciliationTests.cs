using System.Net;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reconciliation;

/// <summary>
/// Reconciliation with Stripe's Events API end to end: the Stripe simulator holds the events (and delivers them, or not),
/// the silo's reconciler lists them with Stripe.net and appends what the inbox lacks.
/// </summary>
public sealed class ReconciliationTests(ReconciliationSystem fixture) : IClassFixture<ReconciliationSystem>, IAsyncLifetime
{
    private StripeSimulatorProcess Stripe => fixture.Stripe;

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reconcile_DeliveriesDroppedForABurst_EachPaidCheckoutHasExactlyOneJobAlsoWhenDeliveredLate()
    {
        await fixture.ReconcileAsync();
        await Stripe.SetEndpointAsync(dropDeliveries: true);
        var checkouts = new List<StripeSimCheckout>();
        for (var i = 0; i < 12; i++)
        {
            var checkout = await Stripe.CheckoutAsync($"user_burst_{i % 4}", $"agent_burst_{i}");
            Assert.False(checkout.Delivered);
            checkouts.Add(checkout);
        }

        var ids = checkouts.Select(c => c.EventId).ToList();
        Assert.Empty(await fixture.InboxAsync(ids));

        var pass = await fixture.ReconcileAsync();

        Assert.Null(pass.Error);
        Assert.Equal(12, pass.Listed);
        Assert.Equal(12, pass.Recovered);
        Assert.Equal(0, pass.AlreadyPresent);
        var inbox = await fixture.InboxAsync(ids);
        Assert.All(ids, id =>
        {
            // I1: each paid checkout has its inbox row and its job; I2: one job per event and per checkout session.
            Assert.True(inbox.TryGetValue(id, out var row), $"{id} is not in the inbox");
            Assert.Equal("reconciliation", row.Source);
            Assert.True(row.CreatesJob);
            Assert.Equal(1, row.Jobs);
        });
        Assert.Equal(12, inbox.Values.Select(r => r.Session).Distinct().Count());

        // The endpoint comes back and Stripe delivers the same events late: each is a duplicate, and no job is added.
        await Stripe.SetEndpointAsync(dropDeliveries: false);
        foreach (var id in ids)
        {
            var late = await Stripe.DeliverAsync(id);
            Assert.Equal(200, late.Status);
        }

        var again = await fixture.ReconcileAsync();
        Assert.Equal(0, again.Recovered);
        inbox = await fixture.InboxAsync(ids);
        Assert.All(ids, id => Assert.Equal(1, inbox[id].Jobs));
        foreach (var id in ids)
        {
            await Eventually.UntilAsync(
                async () => (await fixture.System.Http.GetAsync($"/api/jobs/{id}")).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), $"job {id} to be readable");
        }
    }

    [Fact]
    public async Task Reconcile_SeveralPages_ListsEveryPageAfterTheLastEventOfThePrevious()
    {
        await Stripe.SetEndpointAsync(dropDeliveries: true);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await Stripe.CheckoutAsync($"user_pages_{i}", $"agent_pages_{i}")).EventId);
        }

        var pass = await fixture.ReconcileAsync();

        Assert.Null(pass.Error);
        Assert.Equal(7, pass.Recovered);
        var lists = (await Stripe.GetRequestsAsync()).Where(r => r.PathAndQuery.StartsWith("/v1/events?", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lists.Count);
        Assert.DoesNotContain("starting_after", lists[0].PathAndQuery);
        Assert.Contains("starting_after=", lists[1].PathAndQuery);
        Assert.Contains("starting_after=", lists[2].PathAndQuery);
        Assert.All(lists, r => Assert.Contains("delivery_success=false", r.PathAndQuery));
        Assert.Equal(7, (await fixture.InboxAsync(ids)).Count);
    }

    [Fact]
    public async Task Reconcile_AfterACheckpoint_ListsFromTheCheckpointMinusTheOverlapAndMovesIt()
    {
        var first = await fixture.ReconcileAsync();
        var checkpoint = (await fixture.StatusAsync()).Checkpoint!.Value;
        Assert.Equal(first.Until, checkpoint);

        await Stripe.SetEndpointAsync(dropDeliveries: true);
        var inside = await Stripe.CheckoutAsync("user_overlap_1", "agent_overlap_1", checkpoint.AddMinutes(-5).ToUnixTimeSeconds());
        var outside = await Stripe.CheckoutAsync("user_overlap_2", "agent_overlap_2", checkpoint.AddMinutes(-20).ToUnixTimeSeconds());
        var fresh = await Stripe.CheckoutAsync("user_overlap_3", "agent_overlap_3");
        await Stripe.ResetRequestsAsync();

        var second = await fixture.ReconcileAsync();

        Assert.Equal(checkpoint.AddMinutes(-10), second.Since);
        Assert.Equal(2, second.Recovered);
        var inbox = await fixture.InboxAsync([inside.EventId, outside.EventId, fresh.EventId]);
        Assert.True(inbox.ContainsKey(inside.EventId));
        Assert.True(inbox.ContainsKey(fresh.EventId));
        Assert.False(inbox.ContainsKey(outside.EventId), "an event created before the overlap was listed");
        var list = (await Stripe.GetRequestsAsync()).First(r => r.PathAndQuery.StartsWith("/v1/events?", StringComparison.Ordinal));
        Assert.Contains($"created[gte]={checkpoint.AddMinutes(-10).ToUnixTimeSeconds()}", Uri.UnescapeDataString(list.PathAndQuery));
        Assert.Equal(second.Until, (await fixture.StatusAsync()).Checkpoint);
    }

    [Fact]
    public async Task Reconcile_RateLimited_KeepsTheCheckpointAndRetriesAfterRetryAfter()
    {
        await fixture.ReconcileAsync();
        var checkpoint = (await fixture.StatusAsync()).Checkpoint;
        await Stripe.SetEndpointAsync(dropDeliveries: true);
        var ids = new[]
        {
            (await Stripe.CheckoutAsync("user_429_1", "agent_429_1")).EventId,
            (await Stripe.CheckoutAsync("user_429_2", "agent_429_2")).EventId,
        };
        await Stripe.ResetRequestsAsync();
        // The endpoint's read and the first page both meet a 429.
        await Stripe.AddFaultAsync(429, times: 2, retryAfterSeconds: 2);

        var limited = await fixture.ReconcileAsync();

        Assert.Contains("429", limited.Error);
        Assert.Equal(2, limited.RetryAfterSeconds);
        Assert.Equal(0, limited.Recovered);
        Assert.Equal(checkpoint, (await fixture.StatusAsync()).Checkpoint);

        var retried = await Eventually.UntilAsync(
            fixture.StatusAsync, s => s.Passes.Any(Completed), TimeSpan.FromSeconds(30),
            "a retry pass that completes");
        Assert.Equal(2, retried.Passes.First(Completed).Recovered);
        Assert.Equal(2, (await fixture.InboxAsync(ids)).Count);
        Assert.True(retried.Checkpoint > checkpoint);
        var requests = await Stripe.GetRequestsAsync();
        var refused = requests.Last(r => r.Status == 429);
        var next = requests.First(r => r.At > refused.At && r.Status == 200);
        Assert.True(next.At - refused.At >= TimeSpan.FromSeconds(1.9), $"sent again {next.At - refused.At} after a 429 with Retry-After: 2");
    }

    private static bool Completed(ReconcilePass pass) => pass is { Trigger: "retry", FinishedAt: not null, Error: null };

    [Fact]
    public async Task Reconcile_EndpointDisabled_PassAndStatusSayDisabled()
    {
        await Stripe.SetEndpointAsync(status: "disabled");

        var pass = await fixture.ReconcileAsync();

        Assert.Equal("disabled", pass.EndpointStatus);
        var status = await fixture.StatusAsync();
        Assert.Equal("disabled", status.EndpointStatus);
        Assert.Equal(StripeSimulatorProcess.EndpointId, status.WebhookEndpointId);

        await Stripe.SetEndpointAsync(status: "enabled");
        Assert.Equal("enabled", (await fixture.ReconcileAsync()).EndpointStatus);
    }

    [Theory]
    [InlineData(-31)]
    [InlineData(1)]
    public async Task Reconcile_SinceOutsideStripesThirtyDays_400AndNothingListed(int days)
    {
        using var response = await fixture.PostReconcileAsync(new { since = DateTimeOffset.UtcNow.AddDays(days) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("since", await response.Content.ReadAsStringAsync());
        Assert.Empty(await Stripe.GetRequestsAsync());
    }

    [Fact]
    public async Task Reconcile_WithSince_ListsFromThenAndLeavesTheCheckpoint()
    {
        await fixture.ReconcileAsync();
        var checkpoint = (await fixture.StatusAsync()).Checkpoint;
        await Stripe.SetEndpointAsync(dropDeliveries: true);
        var old = await Stripe.CheckoutAsync("user_since", "agent_since", DateTimeOffset.UtcNow.AddDays(-5).ToUnixTimeSeconds());

        var pass = await fixture.ReconcileAsync(new { since = DateTimeOffset.UtcNow.AddDays(-6) });

        Assert.Equal(1, pass.Recovered);
        Assert.True((await fixture.InboxAsync([old.EventId])).ContainsKey(old.EventId));
        Assert.Equal(checkpoint, (await fixture.StatusAsync()).Checkpoint);
    }
}
