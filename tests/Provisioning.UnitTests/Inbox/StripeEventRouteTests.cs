using Provisioning.Grains.Jobs;
using Provisioning.Grains.StripeInbox;
using Provisioning.StripeEvents;

namespace Provisioning.UnitTests.Inbox;

/// <summary>What an event leads to, decided from the event alone before it is stored.</summary>
public sealed class StripeEventRouteTests
{
    private static readonly JobsOptions Options = new() { Regions = ["us-east", "us-west", "eu-west"] };
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_PaidCheckoutWithMetadata_CreatesTheJobKeyedByTheEventId()
    {
        var route = StripeEventRoute.Decide(Checkout("evt_1", "cs_1", "user_1", "agent_1", subscription: null), Options);

        Assert.Equal((StripeEventRoute.JobCreated, "evt_1", "cs_1", true), (route.Outcome, route.JobId, route.CheckoutSessionId, route.CreatesJob));
        Assert.Equal(("evt_1", "user_1", "agent_1", "us-east", "cs_1", Created),
            (route.Work!.Job!.JobId, route.Work.Job.UserId, route.Work.Job.AgentId, route.Work.Job.Region, route.Work.Job.CheckoutSessionId, route.Work.Job.PaidAt));
        Assert.Null(route.Work.Subscription);
    }

    [Fact]
    public void Decide_SubscriptionCheckout_CreatesTheJobAndLinksTheSubscription()
    {
        var route = StripeEventRoute.Decide(Checkout("evt_2", "cs_2", "user_2", "agent_2", subscription: "sub_2"), Options);

        Assert.True(route.CreatesJob);
        Assert.Equal(("sub_2", "cus_2"), (route.Work!.Subscription!.SubscriptionId, route.Work.Subscription.CustomerId));
    }

    [Fact]
    public void Decide_CheckoutWithoutMetadataButWithSubscription_IgnoredForJobsButStillLinksTheSubscription()
    {
        var route = StripeEventRoute.Decide(Checkout("evt_3", "cs_3", null, "agent_3", subscription: "sub_3"), Options);

        Assert.StartsWith("ignored: metadata.userId is missing", route.Outcome);
        Assert.False(route.CreatesJob);
        Assert.Null(route.Work!.Job);
        Assert.Equal("sub_3", route.Work.Subscription!.SubscriptionId);
    }

    [Fact]
    public void Decide_UnpaidCheckout_IgnoredWithNothingToDo()
    {
        var e = Checkout("evt_4", "cs_4", "user_4", "agent_4", subscription: null) with
        {
            Checkout = new CheckoutCompleted("cs_4", "agent_4", "user_4", null, null, "cus_4", "unpaid"),
        };

        var route = StripeEventRoute.Decide(e, Options);

        Assert.Equal(("ignored: payment not received yet (payment_status unpaid)", "cs_4"), (route.Outcome, route.CheckoutSessionId));
        Assert.Null(route.Work);
    }

    [Fact]
    public void Decide_SubscriptionEvent_UpdatesTheSubscription()
    {
        var change = new SubscriptionChange("sub_5", "active", "cus_5", "price_5", null, false, null);
        var e = new StripeEventEnvelope("evt_5", "customer.subscription.updated", Created, false, null, null, change, "sub_5");

        var route = StripeEventRoute.Decide(e, Options);

        Assert.Equal((StripeEventRoute.SubscriptionUpdated, "sub_5", false), (route.Outcome, route.SubscriptionId, route.CreatesJob));
        Assert.Same(change, route.Work!.Subscription);
    }

    [Theory]
    [InlineData("customer.created", "ignored: event type customer.created is not handled")]
    [InlineData("invoice.paid", "ignored: invoice.paid names no subscription")]
    public void Decide_NothingToActOn_IgnoredWithTheReason(string type, string outcome)
    {
        var route = StripeEventRoute.Decide(new StripeEventEnvelope("evt_6", type, Created, false, null, null, null, "obj_6"), Options);

        Assert.Equal((outcome, (InboxWork?)null), (route.Outcome, route.Work));
    }

    [Fact]
    public void InboxWork_RoundTripsThroughItsStoredJson()
    {
        var route = StripeEventRoute.Decide(Checkout("evt_7", "cs_7", "user_7", "agent_7", subscription: "sub_7"), Options);

        var stored = InboxWork.FromJson(route.Work!.ToJson());

        Assert.Equal(route.Work, stored);
    }

    private static StripeEventEnvelope Checkout(string eventId, string session, string? user, string? agent, string? subscription) =>
        new(eventId, "checkout.session.completed", Created, false, "2024-06-20",
            new CheckoutCompleted(session, agent, user, null, subscription, subscription is null ? null : $"cus_{session[3..]}", "paid"),
            null, session);
}
