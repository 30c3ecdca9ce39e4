using System.Net;
using Provisioning.Tests.Api;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Inbox;

/// <summary>
/// A service whose inbox takes at most two unprocessed events: past that, deliveries are refused with 503 and
/// <c>Retry-After</c> before anything is written, and accepted again once the backlog drains.
/// </summary>
public sealed class InboxBacklogTests(InboxBacklogTests.SmallInbox fixture) : IClassFixture<InboxBacklogTests.SmallInbox>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private TestSystem System => fixture.System;

    [Fact]
    public async Task Delivery_BacklogAtItsBound_RefusedWithoutWritingThenAcceptedOnceItDrains()
    {
        var waiting = new[]
        {
            await InboxRows.StoreUnprocessedCheckoutAsync(System.ConnectionString, StripeEventFactory.NewId("user"), TimeSpan.FromHours(1)),
            await InboxRows.StoreUnprocessedCheckoutAsync(System.ConnectionString, StripeEventFactory.NewId("user"), TimeSpan.FromHours(1)),
        };
        await Eventually.UntilAsync(
            async () => (await ApiJson.GetAsync(System.Http, "/api/stripe/inbox")).Body.GetProperty("full").GetBoolean(),
            Deadline, "the inbox to measure its backlog at the bound");
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));

        var refused = await System.Http.DeliverAsync(checkout);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "backlog"), (refused.Status, refused.Reason));
        Assert.Equal(TimeSpan.FromSeconds(5), refused.RetryAfter);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiJson.GetAsync(System.Http, $"/api/stripe/events/{checkout.Id}")).Status);
        var inbox = await ApiJson.GetAsync(System.Http, "/api/stripe/inbox");
        Assert.Equal((2, 2), (inbox.Body.GetProperty("backlog").GetInt64(), inbox.Body.GetProperty("bound").GetInt64()));

        await InboxRows.LapseHandOversAsync(System.ConnectionString);
        foreach (var eventId in waiting)
        {
            await System.Http.UntilProcessedAsync(eventId);
        }

        var accepted = await Eventually.UntilAsync(
            () => System.Http.DeliverAsync(checkout), a => a.Status == HttpStatusCode.OK, Deadline, "the redelivery to be accepted");
        Assert.Equal(("job-created", false), (accepted.Outcome, accepted.Duplicate));
        await System.Http.UntilProcessedAsync(checkout.Id);
    }

    [Fact]
    public async Task Delivery_BackstopPassHeldUpWhileTheBacklogReachesItsBound_StillRefused()
    {
        // Processing is held up: the job's read model cannot be written, so a backstop pass waits in the job grain.
        var stall = await TableLock.TakeAsync(System.ConnectionString, "jobs");
        var stored = new List<string>();
        try
        {
            stored.Add(await InboxRows.StoreUnprocessedCheckoutAsync(System.ConnectionString, StripeEventFactory.NewId("user"), TimeSpan.FromSeconds(-1)));
            await Eventually.UntilAsync(() => InboxRows.IsTakenByBackstopAsync(System.ConnectionString, stored[0]), Deadline, "the backstop to take the lapsed event");

            // While that pass waits, a second event reaches the bound (two): a fresh measurement must see it.
            stored.Add(await InboxRows.StoreUnprocessedCheckoutAsync(System.ConnectionString, StripeEventFactory.NewId("user"), TimeSpan.FromHours(1)));
            await Eventually.UntilAsync(
                async () => (await ApiJson.GetAsync(System.Http, "/api/stripe/inbox")).Body.GetProperty("full").GetBoolean(),
                Deadline, "the inbox to measure its backlog at the bound while a backstop pass is held up");
            var refused = await System.Http.DeliverAsync(
                StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent")));

            Assert.Equal((HttpStatusCode.ServiceUnavailable, "backlog"), (refused.Status, refused.Reason));
        }
        finally
        {
            // Leave the inbox empty for the class's other tests.
            await stall.DisposeAsync();
            await InboxRows.LapseHandOversAsync(System.ConnectionString);
            foreach (var eventId in stored)
            {
                await System.Http.UntilProcessedAsync(eventId, TimeSpan.FromSeconds(60));
            }
        }
    }

    public sealed class SmallInbox : IAsyncLifetime
    {
        public TestSystem System { get; } = new()
        {
            SiloSettings = { ["Stripe__Inbox__MaxBacklog"] = "2" },
        };

        public Task InitializeAsync() => System.InitializeAsync();

        public Task DisposeAsync() => System.DisposeAsync();
    }
}
