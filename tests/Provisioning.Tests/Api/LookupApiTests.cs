using System.Net;
using System.Text.Json;
using Provisioning.Jobs;
using Provisioning.StripeEvents;
using Provisioning.Subscriptions;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Api;

/// <summary>Single jobs, subscriptions and Stripe events, read from their grains through the real gateway process.</summary>
[Collection(ApiCollection.Name)]
public sealed class LookupApiTests(TestSystem system)
{
    [Theory]
    [InlineData("/api/jobs/evt_never_received", "Job")]
    [InlineData("/api/subscriptions/sub_never_seen", "Subscription")]
    [InlineData("/api/stripe/events/evt_never_received", "Stripe event")]
    public async Task Get_UnknownId_Answers404Problem(string path, string what)
    {
        var answer = await ApiJson.GetAsync(system.Http, path);

        Assert.True(answer.Status == HttpStatusCode.NotFound, answer.ToString());
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(404, answer.Body.GetProperty("status").GetInt32());
        Assert.Equal($"{what} not found", answer.Body.GetProperty("title").GetString());
        Assert.Contains(path.Split('/')[^1], answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetJob_CreatedThroughItsGrain_ReturnsGrainStateWithHistoryAndIsListed()
    {
        var client = await system.ClientAsync();
        var jobId = $"evt_api_{Guid.NewGuid():N}";
        var userId = $"user-{Guid.NewGuid():N}";
        var created = await client.GetGrain<IProvisioningJobGrain>(jobId)
            .CreateAsync(new NewJob(jobId, userId, "agent-42", "eu-west", "cs_test_api", DateTimeOffset.UtcNow));

        var answer = await ApiJson.GetAsync(system.Http, $"/api/jobs/{jobId}");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var job = answer.Body;
        Assert.Equal(
            ["agentId", "attempt", "createdAt", "history", "jobId", "lastError", "lastHeartbeatAt", "output", "region", "runAttempt", "runId", "runUrl",
             "status", "stripeEventId", "updatedAt", "userId"],
            job.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(jobId, job.GetProperty("jobId").GetString());
        Assert.Equal(created.StripeEventId, job.GetProperty("stripeEventId").GetString());
        Assert.Equal(userId, job.GetProperty("userId").GetString());
        Assert.Equal("agent-42", job.GetProperty("agentId").GetString());
        Assert.Equal("eu-west", job.GetProperty("region").GetString());
        Assert.Equal(created.Attempt, job.GetProperty("attempt").GetInt32());
        Assert.Equal(created.CreatedAt, job.GetProperty("createdAt").GetDateTimeOffset());

        // The job may have moved on since it was created (dispatch runs by itself): what it had then is a prefix of its history now.
        var history = job.GetProperty("history").EnumerateArray().ToArray();
        Assert.InRange(history.Length, created.History.Count, int.MaxValue);
        Assert.Equal(["actor", "actorName", "at", "from", "reason", "to"], history[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("from").ValueKind);
        foreach (var (expected, actual) in created.History.Zip(history))
        {
            Assert.Equal(expected.At, actual.GetProperty("at").GetDateTimeOffset());
            Assert.Equal(expected.From is { } from ? Name(from) : null, actual.GetProperty("from").GetString());
            Assert.Equal(Name(expected.To), actual.GetProperty("to").GetString());
            Assert.Equal(expected.Actor.ToString().ToLowerInvariant(), actual.GetProperty("actor").GetString());
            Assert.Equal(expected.Reason, actual.GetProperty("reason").GetString());
        }

        Assert.Equal(history[^1].GetProperty("to").GetString(), job.GetProperty("status").GetString());

        // The grain projected its creation before answering, so the listing already has it.
        var listed = await ApiJson.GetAsync(system.Http, $"/api/users/{userId}/jobs");
        Assert.True(listed.Status == HttpStatusCode.OK, listed.ToString());
        var item = Assert.Single(listed.Body.GetProperty("items").EnumerateArray());
        Assert.Equal(jobId, item.GetProperty("jobId").GetString());
        Assert.Contains(item.GetProperty("status").GetString(), Enum.GetValues<JobStatus>().Select(Name));
    }

    [Fact]
    public async Task GetSubscription_AfterAnEvent_ReturnsItsState()
    {
        var client = await system.ClientAsync();
        var subscriptionId = $"sub_api_{Guid.NewGuid():N}";
        var periodEnd = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        await client.GetGrain<ISubscriptionGrain>(subscriptionId).ApplyAsync(
            "evt_sub_api_1", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
            new SubscriptionChange(subscriptionId, "active", "cus_api", "price_api", periodEnd, false, null));

        var answer = await ApiJson.GetAsync(system.Http, $"/api/subscriptions/{subscriptionId}");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(subscriptionId, answer.Body.GetProperty("subscriptionId").GetString());
        Assert.Equal("active", answer.Body.GetProperty("status").GetString());
        Assert.Equal("cus_api", answer.Body.GetProperty("customerId").GetString());
        Assert.Equal("price_api", answer.Body.GetProperty("priceId").GetString());
        Assert.Equal(periodEnd, answer.Body.GetProperty("currentPeriodEnd").GetDateTimeOffset());
        Assert.False(answer.Body.GetProperty("cancelAtPeriodEnd").GetBoolean());
        Assert.Equal("evt_sub_api_1", answer.Body.GetProperty("lastEventId").GetString());
    }

    [Fact]
    public async Task GetStripeEvent_Recorded_ReturnsItsOutcome()
    {
        var client = await system.ClientAsync();
        var eventId = $"evt_api_{Guid.NewGuid():N}";
        var created = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var answer0 = await client.GetGrain<IStripeInboxGrain>(0).AppendAsync(
            new StripeEventEnvelope(eventId, "customer.created", created, false, "2024-06-20", null, null, "cus_api"), "{}"u8.ToArray());
        var receipt = answer0.Receipt!;

        var answer = await ApiJson.GetAsync(system.Http, $"/api/stripe/events/{eventId}");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(eventId, answer.Body.GetProperty("eventId").GetString());
        Assert.Equal("customer.created", answer.Body.GetProperty("type").GetString());
        Assert.Equal(created, answer.Body.GetProperty("created").GetDateTimeOffset());
        Assert.False(answer.Body.GetProperty("livemode").GetBoolean());
        Assert.Equal(receipt.Record.Outcome, answer.Body.GetProperty("outcome").GetString());
        Assert.StartsWith("ignored", answer.Body.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, answer.Body.GetProperty("jobId").ValueKind);
        Assert.True(answer.Body.GetProperty("processed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.Body.GetProperty("duplicateOf").ValueKind);
    }

    private static string Name(JobStatus status) => status.ToString().ToLowerInvariant();
}
