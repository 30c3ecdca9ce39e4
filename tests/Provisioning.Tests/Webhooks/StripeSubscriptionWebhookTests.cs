using System.Net;
using Provisioning.Subscriptions;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Webhooks;

/// <summary>
/// Subscription and invoice events update the subscription they name, read from where each API version puts the fields;
/// Stripe does not deliver in order, and an older event never overwrites what a newer one said.
/// </summary>
public sealed class StripeSubscriptionWebhookTests(TestSystem system) : IClassFixture<TestSystem>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());

    [Theory]
    [InlineData("sdk")]
    [InlineData(StripeEventFactory.OlderApiVersion)]
    public async Task SubscriptionEvents_NewestDeliveredFirst_EndInNewestState(string apiVersion)
    {
        var version = apiVersion == "sdk" ? StripeEventFactory.SdkApiVersion : apiVersion;
        var (subscriptionId, customerId) = (StripeEventFactory.NewId("sub"), StripeEventFactory.NewId("cus"));
        var periodEnd = T0.AddDays(30);
        var created = StripeEventFactory.SubscriptionEvent(
            "customer.subscription.created", subscriptionId, "active", T0, customerId, "price_basic", periodEnd, apiVersion: version);
        var updated = StripeEventFactory.SubscriptionEvent(
            "customer.subscription.updated", subscriptionId, "past_due", T0.AddMinutes(1), customerId, "price_pro", periodEnd.AddDays(31),
            cancelAtPeriodEnd: true, apiVersion: version);
        var deleted = StripeEventFactory.SubscriptionEvent(
            "customer.subscription.deleted", subscriptionId, "canceled", T0.AddMinutes(2), customerId, "price_pro", periodEnd.AddDays(62),
            cancelAtPeriodEnd: true, apiVersion: version);

        foreach (var stripeEvent in new[] { deleted, created, updated })
        {
            var answer = await system.Http.DeliverAsync(stripeEvent);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(subscriptionId, answer.Text("subscriptionId"));
            await system.Http.UntilProcessedAsync(stripeEvent.Id);
        }

        var subscription = await (await system.ClientAsync()).GetGrain<ISubscriptionGrain>(subscriptionId).GetAsync();
        Assert.NotNull(subscription);
        Assert.Equal(
            ("canceled", customerId, "price_pro", periodEnd.AddDays(62), true, deleted.Id),
            (subscription.Status, subscription.CustomerId, subscription.PriceId, subscription.CurrentPeriodEnd, subscription.CancelAtPeriodEnd,
                subscription.LastEventId));
    }

    [Theory]
    [InlineData("sdk")]
    [InlineData(StripeEventFactory.OlderApiVersion)]
    public async Task InvoiceEvents_FailedThenOlderPaid_KeepFailedUntilNewerPaid(string apiVersion)
    {
        var version = apiVersion == "sdk" ? StripeEventFactory.SdkApiVersion : apiVersion;
        var (subscriptionId, customerId) = (StripeEventFactory.NewId("sub"), StripeEventFactory.NewId("cus"));
        var created = StripeEventFactory.SubscriptionEvent(
            "customer.subscription.created", subscriptionId, "active", T0, customerId, "price_basic", T0.AddDays(30), apiVersion: version);
        var failed = StripeEventFactory.InvoiceEvent("invoice.payment_failed", subscriptionId, T0.AddMinutes(2), customerId, version);
        var olderPaid = StripeEventFactory.InvoiceEvent("invoice.paid", subscriptionId, T0.AddMinutes(1), customerId, version);
        var newerPaid = StripeEventFactory.InvoiceEvent("invoice.paid", subscriptionId, T0.AddMinutes(3), customerId, version);
        var client = await system.ClientAsync();

        foreach (var stripeEvent in new[] { created, failed, olderPaid })
        {
            var answer = await system.Http.DeliverAsync(stripeEvent);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(subscriptionId, answer.Text("subscriptionId"));
            await system.Http.UntilProcessedAsync(stripeEvent.Id);
        }

        var afterOlder = await client.GetGrain<ISubscriptionGrain>(subscriptionId).GetAsync();
        Assert.Equal(("failed", failed.Id), (afterOlder?.LastPaymentOutcome, afterOlder?.LastEventId));

        Assert.Equal(HttpStatusCode.OK, (await system.Http.DeliverAsync(newerPaid)).Status);
        await system.Http.UntilProcessedAsync(newerPaid.Id);
        var afterNewer = await client.GetGrain<ISubscriptionGrain>(subscriptionId).GetAsync();
        Assert.Equal(("paid", newerPaid.Id, "active"), (afterNewer?.LastPaymentOutcome, afterNewer?.LastEventId, afterNewer?.Status));
    }

    [Fact]
    public async Task Event_OfTypeNotActedOn_IsRecordedAsIgnored()
    {
        var customerCreated = StripeEventFactory.CustomerCreated();

        var answer = await system.Http.DeliverAsync(customerCreated);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("ignored:", answer.Outcome);
        Assert.False(answer.Duplicate);
        Assert.Null(answer.JobId);
    }
}
