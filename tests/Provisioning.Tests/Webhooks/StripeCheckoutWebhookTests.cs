using System.Net;
using System.Text.Json;
using Provisioning.Jobs;
using Provisioning.StripeEvents;
using Provisioning.Subscriptions;
using Provisioning.Tests.Infrastructure;
using Provisioning.Users;

namespace Provisioning.Tests.Webhooks;

/// <summary>
/// Paid checkouts through the gateway, as Stripe delivers them: one durable job per event, however often and however
/// concurrently it arrives, and a user's second paid checkout waits instead of being dropped, across silo restarts.
/// </summary>
public sealed class StripeCheckoutWebhookTests(TestSystem system) : IClassFixture<TestSystem>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("sdk")]
    [InlineData(StripeEventFactory.OlderApiVersion)]
    public async Task Checkout_AtSdkOrOlderPinnedApiVersion_CreatesQueuedJob(string apiVersion)
    {
        var version = apiVersion == "sdk" ? StripeEventFactory.SdkApiVersion : apiVersion;
        var (user, agent) = (StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));
        var checkout = StripeEventFactory.CheckoutCompleted(user, agent, region: "eu-west", apiVersion: version);

        var answer = await system.Http.DeliverAsync(checkout);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(answer.Body.GetProperty("received").GetBoolean());
        Assert.Equal(checkout.Id, answer.Text("eventId"));
        Assert.Equal("job-created", answer.Outcome);
        Assert.False(answer.Duplicate);
        Assert.Equal(checkout.Id, answer.JobId);

        var job = await ReadJobAsync(checkout.Id);
        Assert.Equal((checkout.Id, checkout.Id, user, agent, "eu-west"), (job.JobId, job.StripeEventId, job.UserId, job.AgentId, job.Region));
        var creation = Creation(job);
        Assert.Equal((JobStatus.Queued, JobActor.Stripe), (creation.To, creation.Actor));
        Assert.Same(creation, job.History[0]);

        using (var api = JsonDocument.Parse(await system.Http.GetStringAsync($"/api/jobs/{checkout.Id}")))
        {
            var history = api.RootElement.GetProperty("history");
            Assert.Equal(checkout.Id, api.RootElement.GetProperty("jobId").GetString());
            Assert.Equal(JsonValueKind.Null, history[0].GetProperty("from").ValueKind);
            Assert.Equal(("queued", "stripe"), (history[0].GetProperty("to").GetString(), history[0].GetProperty("actor").GetString()));
        }

        var record = await (await system.ClientAsync()).GetGrain<IStripeInboxGrain>(0).GetAsync(checkout.Id);
        Assert.NotNull(record);
        Assert.Equal(("checkout.session.completed", checkout.Created, false, "job-created"), (record.Type, record.Created, record.Livemode, record.Outcome));
    }

    [Fact]
    public async Task Checkout_SignedWithPreviousSecret_IsAccepted()
    {
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));

        var answer = await system.Http.SendWebhookAsync(checkout.ToRequest(TestSecrets.StripeWebhookSecretPrevious));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("job-created", answer.Outcome);
    }

    [Fact]
    public async Task Checkout_GatewayWithOnlyLegacySecretVariable_AcceptsThatSecretOnly()
    {
        const string legacySecret = "whsec_test_bGVnYWN5LXN0cmlwZS13ZWJob29rLXNlY3JldA";
        var (gateway, url) = await system.Cluster.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Stripe__WebhookSecrets__0"] = null,
            ["Stripe__WebhookSecrets__1"] = null,
            ["STRIPE_WEBHOOK_SECRET"] = legacySecret,
        });
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
            var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));

            var withConfigured = await http.SendWebhookAsync(checkout.ToRequest(TestSecrets.StripeWebhookSecret));
            var withLegacy = await http.SendWebhookAsync(checkout.ToRequest(legacySecret));

            Assert.Equal((HttpStatusCode.BadRequest, "signature-mismatch"), (withConfigured.Status, withConfigured.Reason));
            Assert.Equal((HttpStatusCode.OK, "job-created"), (withLegacy.Status, withLegacy.Outcome));
        }
        finally
        {
            await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Checkout_WithSubscriptionAndCustomerExpanded_LinksTheSubscription()
    {
        var (subscriptionId, customerId) = (StripeEventFactory.NewId("sub"), StripeEventFactory.NewId("cus"));
        var checkout = StripeEventFactory.CheckoutCompleted(
            StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"), subscriptionId: subscriptionId, customerId: customerId,
            expandLinks: true);

        var answer = await system.Http.DeliverAsync(checkout);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("job-created", answer.Outcome);
        Assert.Equal(subscriptionId, answer.Text("subscriptionId"));
        var subscription = await Eventually.UntilAsync(
            async () => await (await system.ClientAsync()).GetGrain<ISubscriptionGrain>(subscriptionId).GetAsync(),
            s => s is not null, Deadline, "the checkout's subscription to be linked");
        Assert.NotNull(subscription);
        Assert.Equal(customerId, subscription.CustomerId);
    }

    [Fact]
    public async Task Checkout_DeliveredFiftyTimesConcurrentlyThenAfterRestart_CreatesOneJob()
    {
        var user = StripeEventFactory.NewId("user");
        var checkout = StripeEventFactory.CheckoutCompleted(user, StripeEventFactory.NewId("agent"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => system.Http.DeliverAsync(checkout)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.Equal(("job-created", checkout.Id), (a.Outcome, a.JobId)));
        Assert.Single(answers, a => !a.Duplicate);
        await AssertOneJobAsync(user, checkout.Id);

        await system.RestartAllSilosAsync();
        var again = await system.Http.DeliverAsync(checkout);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.True(again.Duplicate);
        Assert.Equal(("job-created", checkout.Id), (again.Outcome, again.JobId));
        await AssertOneJobAsync(user, checkout.Id);
        var listed = await Eventually.UntilAsync(
            async () =>
            {
                using var page = JsonDocument.Parse(await system.Http.GetStringAsync($"/api/users/{user}/jobs"));
                return page.RootElement.GetProperty("items").Clone();
            },
            items => items.GetArrayLength() > 0, Deadline, "the job in the read model's listing of the user's jobs");
        Assert.Equal(checkout.Id, Assert.Single(listed.EnumerateArray()).GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task Checkout_SecondForBusyUser_WaitsSurvivesRestartAndStartsWhenFirstEnds()
    {
        var user = StripeEventFactory.NewId("user");
        var first = StripeEventFactory.CheckoutCompleted(user, StripeEventFactory.NewId("agent"));
        var second = StripeEventFactory.CheckoutCompleted(user, StripeEventFactory.NewId("agent"));

        Assert.Equal("job-created", (await system.Http.DeliverAsync(first)).Outcome);
        Assert.Equal("job-created", (await system.Http.DeliverAsync(second)).Outcome);
        Assert.Equal(JobStatus.Queued, Creation(await ReadJobAsync(first.Id)).To);
        Assert.Equal(JobStatus.Waiting, Creation(await ReadJobAsync(second.Id)).To);

        await system.RestartAllSilosAsync();
        Assert.Equal(JobStatus.Queued, Creation(await ReadJobAsync(first.Id)).To);
        Assert.Equal(JobStatus.Waiting, (await ReadJobAsync(second.Id)).Status);
        var slot = await (await system.ClientAsync()).GetGrain<IUserGrain>(user).GetAsync();
        Assert.Equal(first.Id, slot.CurrentJobId);
        Assert.Equal([second.Id], slot.WaitingJobIds);

        var cancelled = await (await system.ClientAsync()).GetGrain<IProvisioningJobGrain>(first.Id).CancelAsync(JobActor.Operator, "test");
        Assert.Equal(JobStatus.Cancelled, cancelled.Job?.Status);

        var started = await Eventually.UntilAsync(
            () => ReadJobAsync(second.Id), j => j.History.Any(h => h.From == JobStatus.Waiting && h.To == JobStatus.Queued),
            Deadline, "the waiting job to be queued once the first was cancelled");
        Assert.NotEqual(JobStatus.Waiting, started.Status);
        slot = await (await system.ClientAsync()).GetGrain<IUserGrain>(user).GetAsync();
        Assert.Equal(second.Id, slot.CurrentJobId);
        Assert.Empty(slot.WaitingJobIds);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("user", null, null)]
    [InlineData(null, "agent", "us-east")]
    [InlineData("user", "agent", "mars-north-1")]
    public async Task Checkout_WithoutUsableMetadata_IsRecordedAsIgnoredWithoutJob(string? userId, string? agentId, string? region)
    {
        var user = userId is null ? null : StripeEventFactory.NewId(userId);
        var checkout = StripeEventFactory.CheckoutCompleted(user, agentId is null ? null : StripeEventFactory.NewId(agentId), region);

        var answer = await system.Http.DeliverAsync(checkout);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("ignored:", answer.Outcome);
        Assert.Null(answer.JobId);
        var client = await system.ClientAsync();
        Assert.Null(await client.GetGrain<IProvisioningJobGrain>(checkout.Id).GetAsync());
        Assert.Equal(answer.Outcome, (await client.GetGrain<IStripeInboxGrain>(0).GetAsync(checkout.Id))?.Outcome);
        if (user is not null)
        {
            Assert.Null((await client.GetGrain<IUserGrain>(user).GetAsync()).CurrentJobId);
        }
    }

    /// <summary>The job exists, was created once (queued: the user had no other job) and the user's slot knows no other job.</summary>
    private async Task AssertOneJobAsync(string user, string jobId)
    {
        Assert.Equal(JobStatus.Queued, Creation(await ReadJobAsync(jobId)).To);
        var slot = await (await system.ClientAsync()).GetGrain<IUserGrain>(user).GetAsync();
        Assert.True(slot.CurrentJobId is null || slot.CurrentJobId == jobId, $"the user's current job is {slot.CurrentJobId}");
        Assert.Empty(slot.WaitingJobIds);
    }

    /// <summary>
    /// The job's one creation entry: <c>queued</c> if the user's slot admitted it, <c>waiting</c> if not. Later entries
    /// belong to dispatch, which starts on its own as soon as a job is queued.
    /// </summary>
    private static JobHistoryEntry Creation(JobSnapshot job) => Assert.Single(job.History, h => h.From is null);

    /// <summary>Reads the job through the test's Orleans client, which may still be reconnecting after a restart.</summary>
    private async Task<JobSnapshot> ReadJobAsync(string jobId)
    {
        var job = await Eventually.UntilAsync(
            async () => await (await system.ClientAsync()).GetGrain<IProvisioningJobGrain>(jobId).GetAsync(),
            j => j is not null, Deadline, $"job {jobId} to be readable");
        return job!;
    }
}
