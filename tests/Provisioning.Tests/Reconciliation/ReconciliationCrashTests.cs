using Provisioning.StripeEvents;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reconciliation;

/// <summary>
/// A pass interrupted by a silo killed with <c>kill -9</c> mid-listing: the next pass, on the other silo, continues the
/// same window after the last event the dead one reconciled, and every paid checkout ends with exactly one job.
/// </summary>
public sealed class ReconciliationCrashTests : IAsyncLifetime
{
    private readonly ReconciliationSystem _fixture = new() { SiloCount = 2 };

    public Task InitializeAsync()
    {
        _fixture.ExtraSiloSettings["Stripe__ReconcilePageSize"] = "1";
        return _fixture.InitializeAsync();
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Reconcile_SiloKilledMidPass_NextPassResumesAfterItsCursorAndEachCheckoutHasOneJob()
    {
        var stripe = _fixture.Stripe;
        await _fixture.ReconcileAsync();
        await stripe.SetEndpointAsync(dropDeliveries: true);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await stripe.CheckoutAsync($"user_crash_{i % 5}", $"agent_crash_{i}")).EventId);
        }

        var client = await _fixture.System.ClientAsync();
        var reconciler = client.GetGrain<IStripeReconcilerGrain>(0);
        await reconciler.GetStatusAsync();
        var victim = await _fixture.System.SiloHostingAsync(reconciler);
        await stripe.SetEndpointAsync(apiDelayMilliseconds: 300);
        var interrupted = _fixture.PostReconcileAsync();
        await Eventually.UntilAsync(async () => (await _fixture.InboxAsync(ids)).Count >= 5, TimeSpan.FromSeconds(60),
            "the pass to recover its first events");
        await victim.KillAsync();
        var beforeKill = (await _fixture.InboxAsync(ids)).Count;
        Assert.True(beforeKill < ids.Count, "the pass finished before the kill");
        await stripe.SetEndpointAsync(apiDelayMilliseconds: 0);
        await stripe.ResetRequestsAsync();

        var resumed = await Eventually.UntilAsync(
            () => _fixture.ReconcileAsync(), p => p.Error is null, TimeSpan.FromSeconds(90), "a completed pass on the surviving silo");

        Assert.True(resumed.Resumed);
        Assert.True(resumed.Listed < ids.Count, $"the resumed pass listed {resumed.Listed}: it started over");
        var firstList = (await stripe.GetRequestsAsync()).First(r => r.PathAndQuery.StartsWith("/v1/events?", StringComparison.Ordinal));
        Assert.Contains("starting_after=evt_", firstList.PathAndQuery);
        await Eventually.UntilAsync(async () =>
        {
            var inbox = await _fixture.InboxAsync(ids);
            return inbox.Count == ids.Count && inbox.Values.All(r => r.Jobs == 1);
        }, TimeSpan.FromSeconds(60), "every checkout in the inbox with its one job");
        var rows = await _fixture.InboxAsync(ids);
        Assert.All(rows.Values, r => Assert.True(r.CreatesJob));
        Assert.Equal(ids.Count, rows.Values.Select(r => r.Session).Distinct().Count());
        try
        {
            (await interrupted).Dispose();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // The call died with its silo.
        }
    }
}
