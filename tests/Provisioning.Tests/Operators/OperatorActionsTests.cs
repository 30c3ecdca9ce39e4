using System.Net;
using Provisioning.Jobs;
using Provisioning.Tests.Callbacks;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Operators;

/// <summary>
/// Operator actions through the gateway: cancel, retry and bulk retry, each only with an operator key, and recorded in the
/// job's history under the key's name.
/// </summary>
[Collection(CallbackCollection.Name)]
public sealed class OperatorActionsTests(CallbackSystemFixture fixture)
{
    [Theory]
    [InlineData("/api/jobs/{0}/cancel")]
    [InlineData("/api/jobs/{0}/retry")]
    [InlineData("/api/jobs/retry")]
    public async Task OperatorAction_WithoutKey_401WithWwwAuthenticateAndNothingChanged(string path)
    {
        var run = await fixture.ClaimedRunAsync();
        var before = await fixture.JobAsync(run.JobId);

        var answer = await fixture.OperatorPostAsync(string.Format(path, run.JobId), new { status = "failed" }, key: null);

        Assert.True(answer.Status == HttpStatusCode.Unauthorized, answer.ToString());
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal("Operator key required", answer.Text("title"));
        Assert.Equal(before.Version, (await fixture.JobAsync(run.JobId)).Version);
    }

    [Fact]
    public async Task Cancel_WithWrongKey_401InvalidTokenAndJobNotCancelled()
    {
        var run = await fixture.ClaimedRunAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{run.JobId}/cancel");
        request.Headers.Authorization = new("Bearer", TestSecrets.OperatorKey + "x");

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter);
        Assert.Equal(JobStatus.Provisioning, (await fixture.JobAsync(run.JobId)).Status);
    }

    [Fact]
    public async Task Cancel_WhileProvisioningWithApiKeyHeader_CancelledUnderTheKeysNameAndTheRunGets409()
    {
        var run = await fixture.ClaimedRunAsync();

        var answer = await fixture.OperatorPostAsync($"/api/jobs/{run.JobId}/cancel", new { reason = "customer asked for a refund" }, asApiKeyHeader: true);

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(("cancelled", run.JobId), (answer.Text("status"), answer.JobId));
        var last = answer.Body.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("provisioning", "cancelled", "operator", TestSecrets.OperatorName, "customer asked for a refund"),
            (last.GetProperty("from").GetString(), last.GetProperty("to").GetString(), last.GetProperty("actor").GetString(),
             last.GetProperty("actorName").GetString(), last.GetProperty("reason").GetString()));
        CallbackAssert.Conflict(await run.HeartbeatAsync(), "cancelled", 1);
    }

    [Fact]
    public async Task Cancel_SucceededJob_409WithStatus()
    {
        var run = await fixture.ClaimedRunAsync();
        CallbackAssert.Accepted(await run.CompleteAsync(new() { ["endpoint"] = "https://agent.example" }), "succeeded", 1);

        var answer = await fixture.OperatorPostAsync($"/api/jobs/{run.JobId}/cancel");

        CallbackAssert.Conflict(answer, "succeeded", 1, detailContains: "already succeeded");
    }

    [Fact]
    public async Task Retry_FailedJob_NewAttemptDispatchedAndHistoryNamesTheOperator()
    {
        var run = await fixture.ClaimedRunAsync();
        CallbackAssert.Accepted(await run.FailAsync("terraform apply failed", retryable: false), "failed", 1);

        var answer = await fixture.OperatorPostAsync($"/api/jobs/{run.JobId}/retry", key: TestSecrets.SecondOperatorKey);

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(2, answer.Body.GetProperty("attempt").GetInt32());
        var next = await fixture.DispatchedRunAsync(run.JobId, attempt: 2);
        var job = await fixture.JobAsync(run.JobId);
        var retry = job.History.Single(e => e is { From: JobStatus.Failed });
        Assert.Equal((JobStatus.Queued, JobActor.Operator, TestSecrets.SecondOperatorName), (retry.To, retry.Actor, retry.ActorName));
        var attempts = (await fixture.System.Simulator.GetRequestsAsync(run.JobId))
            .Where(r => r.Status == 200)
            .Select(r => r.Body!.Value.GetProperty("inputs").GetProperty("attempt").GetString());
        Assert.Equal(new[] { "1", "2" }, attempts);
        CallbackAssert.Accepted(await next.ClaimAsync(), "provisioning", 2);
    }

    [Fact]
    public async Task Retry_JobStillDispatched_409WithStatusAndAttempt()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());

        var answer = await fixture.OperatorPostAsync($"/api/jobs/{run.JobId}/retry");

        CallbackAssert.Conflict(answer, "dispatched", 1, detailContains: "only a failed or cancelled job can be retried");
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("cancel")]
    public async Task OperatorAction_UnknownJob_404(string action)
    {
        var answer = await fixture.OperatorPostAsync($"/api/jobs/evt_unknown_{Guid.NewGuid():N}/{action}");

        Assert.True(answer.Status == HttpStatusCode.NotFound, answer.ToString());
        Assert.Equal("Job not found", answer.Text("title"));
    }

    [Fact]
    public async Task RetryJobs_FailedSinceATime_RetriesOnlyJobsFailedSinceThenOldestFirstWithinTheLimit()
    {
        var before = await FailedJobAsync();
        var since = (await fixture.JobAsync(before)).UpdatedAt.AddMilliseconds(1);
        var first = await FailedJobAsync();
        var second = await FailedJobAsync();
        await Eventually.UntilAsync(async () => (await CountFailedSinceAsync(since)) == 2, CallbackSystemFixture.Deadline, "the read model to list both failures");

        var limited = await fixture.OperatorPostAsync("/api/jobs/retry", new { status = "failed", since = since.ToString("O"), limit = 1 });
        var rest = await fixture.OperatorPostAsync("/api/jobs/retry", new { status = "FAILED", since = since.ToString("O") }, key: TestSecrets.SecondOperatorKey);

        Assert.True(limited.Status == HttpStatusCode.OK, limited.ToString());
        Assert.Equal(1, limited.Body.GetProperty("retried").GetInt32());
        Assert.Equal([first], JobIds(limited));
        Assert.True(rest.Status == HttpStatusCode.OK, rest.ToString());
        Assert.Equal(1, rest.Body.GetProperty("retried").GetInt32());
        Assert.Equal([second], JobIds(rest));
        Assert.Equal(0, rest.Body.GetProperty("skipped").GetArrayLength());
        Assert.Equal(JobStatus.Failed, (await fixture.JobAsync(before)).Status);
        Assert.Equal(TestSecrets.OperatorName, (await fixture.JobAsync(first)).History.Single(e => e.From == JobStatus.Failed).ActorName);
        Assert.Equal(TestSecrets.SecondOperatorName, (await fixture.JobAsync(second)).History.Single(e => e.From == JobStatus.Failed).ActorName);
        await fixture.DispatchedRunAsync(first, attempt: 2);
        await fixture.DispatchedRunAsync(second, attempt: 2);
    }

    [Fact]
    public async Task RetryJobs_InvalidBody_400NamingEachField()
    {
        var answer = await fixture.OperatorPostAsync("/api/jobs/retry", new { status = "succeeded", since = "last tuesday", limit = 0 });

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        var errors = answer.Body.GetProperty("errors");
        Assert.All(new[] { "status", "since", "limit" }, field => Assert.True(errors.TryGetProperty(field, out _), answer.ToString()));
    }

    private async Task<string> FailedJobAsync()
    {
        var run = await fixture.ClaimedRunAsync();
        CallbackAssert.Accepted(await run.FailAsync("image build failed", retryable: false), "failed", 1);
        return run.JobId;
    }

    private async Task<int> CountFailedSinceAsync(DateTimeOffset since)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(fixture.System.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM jobs WHERE status = 'failed' AND updated_at >= $1");
        command.Parameters.AddWithValue(since);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static string[] JobIds(WebhookAnswer answer) =>
        [.. answer.Body.GetProperty("jobIds").EnumerateArray().Select(j => j.GetString()!)];
}
