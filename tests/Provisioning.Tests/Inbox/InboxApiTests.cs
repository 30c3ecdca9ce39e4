using System.Net;
using Provisioning.Tests.Api;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Inbox;

/// <summary>
/// What a 200 from the Stripe webhook means, seen over HTTP: the event is stored, a second Event object for a paid
/// checkout session makes no second job, and an acknowledged checkout never reads as 404.
/// </summary>
public sealed class InboxApiTests(TestSystem system) : IClassFixture<TestSystem>
{
    [Fact]
    public async Task Checkout_SecondEventObjectForTheSameSession_AnsweredAsDuplicateOfTheFirstAndItsJob()
    {
        var first = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));
        var second = StripeEventFactory.SecondEventObject(first, "checkout.session.async_payment_succeeded");

        var firstAnswer = await system.Http.DeliverAsync(first);
        var secondAnswer = await system.Http.DeliverAsync(second);
        var again = await system.Http.DeliverAsync(second);

        Assert.Equal((HttpStatusCode.OK, "job-created", first.Id), (firstAnswer.Status, firstAnswer.Outcome, firstAnswer.JobId));
        Assert.Equal((HttpStatusCode.OK, $"duplicate of {first.Id}", first.Id, first.Id, false),
            (secondAnswer.Status, secondAnswer.Outcome, secondAnswer.JobId, secondAnswer.Text("duplicateOf"), secondAnswer.Duplicate));
        Assert.Equal((HttpStatusCode.OK, $"duplicate of {first.Id}", true), (again.Status, again.Outcome, again.Duplicate));

        var stored = await ApiJson.GetAsync(system.Http, $"/api/stripe/events/{second.Id}");
        Assert.Equal(first.Id, stored.Body.GetProperty("duplicateOf").GetString());
        Assert.Equal(first.Id, stored.Body.GetProperty("jobId").GetString());
        Assert.True(stored.Body.GetProperty("processed").GetBoolean());
        await system.Http.UntilProcessedAsync(first.Id);
        Assert.Equal(HttpStatusCode.OK, (await ApiJson.GetAsync(system.Http, $"/api/jobs/{first.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiJson.GetAsync(system.Http, $"/api/jobs/{second.Id}")).Status);
    }

    [Fact]
    public async Task GetJob_CheckoutStoredButNotProcessedYet_ProcessesItAndAnswersTheJob()
    {
        var user = StripeEventFactory.NewId("user");
        var eventId = await InboxRows.StoreUnprocessedCheckoutAsync(system.ConnectionString, user, heldFor: TimeSpan.FromHours(1));
        var before = await ApiJson.GetAsync(system.Http, $"/api/stripe/events/{eventId}");
        Assert.False(before.Body.GetProperty("processed").GetBoolean());

        var job = await ApiJson.GetAsync(system.Http, $"/api/jobs/{eventId}");

        Assert.True(job.Status == HttpStatusCode.OK, job.ToString());
        Assert.Equal((eventId, user), (job.Body.GetProperty("jobId").GetString(), job.Body.GetProperty("userId").GetString()));
        var after = await ApiJson.GetAsync(system.Http, $"/api/stripe/events/{eventId}");
        Assert.True(after.Body.GetProperty("processed").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await ApiJson.GetAsync(system.Http, $"/api/jobs/evt_never_{Guid.NewGuid():N}")).Status);
    }

    [Fact]
    public async Task Backstop_CheckoutWhoseHandOverLapsed_ItsJobIsCreated()
    {
        var eventId = await InboxRows.StoreUnprocessedCheckoutAsync(
            system.ConnectionString, StripeEventFactory.NewId("user"), heldFor: TimeSpan.FromSeconds(-1));

        await system.Http.UntilProcessedAsync(eventId);

        var job = await ApiJson.GetAsync(system.Http, $"/api/jobs/{eventId}");
        Assert.True(job.Status == HttpStatusCode.OK, job.ToString());
    }
}
