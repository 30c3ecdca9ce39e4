using System.Net;
using Npgsql;
using Provisioning.Jobs;
using Provisioning.Tests.Callbacks;
using Provisioning.Tests.Observability;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.GitHubEvents;

/// <summary>
/// GitHub's own <c>workflow_run</c> webhooks through <c>POST /api/webhooks/github/events</c>: a run that GitHub reports failed
/// before it called back ends its attempt at once; forged deliveries are refused and repeated ones change nothing.
/// </summary>
[Collection(CallbackCollection.Name)]
public sealed class WorkflowRunEventTests(CallbackSystemFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task WorkflowRunCompleted_FailureOfTheClaimingRun_AttemptEndsAtOnceAndIsRetried()
    {
        var run = await fixture.ClaimedRunAsync();

        var answer = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", GitHubDelivery.WorkflowRun("completed", run.RunId, "failure")));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal((run.JobId, "queued", 2, false), (answer.JobId, answer.Text("status"), answer.Body.GetProperty("attempt").GetInt32(), answer.Duplicate));
        var job = await fixture.JobAsync(run.JobId);
        var ended = job.History.Single(e => e is { From: JobStatus.Provisioning, To: JobStatus.Queued });
        Assert.Equal(JobActor.Github, ended.Actor);
        Assert.Contains($"GitHub reports run {run.RunId} failure", ended.Reason);
        await fixture.DispatchedRunAsync(run.JobId, attempt: 2);
    }

    [Fact]
    public async Task WorkflowRunCompleted_TimedOutRunNeverClaimed_AttemptEndsAtOnce()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());

        var answer = await Http.SendWebhookAsync(GitHubDelivery.Request(
            "workflow_run", GitHubDelivery.WorkflowRun("completed", run.RunId, "timed_out", displayTitle: $"provision {run.JobId} attempt 1")));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(("queued", 2), (answer.Text("status"), answer.Body.GetProperty("attempt").GetInt32()));
        var ended = (await fixture.JobAsync(run.JobId)).History.Single(e => e is { From: JobStatus.Dispatched, To: JobStatus.Queued });
        Assert.Equal(JobActor.Github, ended.Actor);
        Assert.Contains($"GitHub reports run {run.RunId} timed out", ended.Reason);
    }

    [Fact]
    public async Task WorkflowRunCompleted_ForgedSignature_401AndJobUnchanged()
    {
        var run = await fixture.ClaimedRunAsync();
        var before = await fixture.JobAsync(run.JobId);
        var body = GitHubDelivery.WorkflowRun("completed", run.RunId, "failure");

        var forged = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", body, signature: GitHubDelivery.Sign(body, "not-the-secret")));
        var unsigned = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", body, signature: ""));

        CallbackAssert.Refused(forged, HttpStatusCode.Unauthorized, "signature-mismatch");
        CallbackAssert.Refused(unsigned, HttpStatusCode.Unauthorized, "signature-missing");
        var after = await fixture.JobAsync(run.JobId);
        Assert.Equal((before.Version, JobStatus.Provisioning), (after.Version, after.Status));
    }

    [Fact]
    public async Task WorkflowRunCompleted_SameDeliveryTwice_SecondIsDuplicateWithoutEffect()
    {
        var run = await fixture.ClaimedRunAsync();
        var delivery = Guid.NewGuid().ToString();
        // After the first delivery the job is on its next attempt and the read model no longer lists this run:
        // the run's title (the workflow's run-name) still names the job.
        var body = GitHubDelivery.WorkflowRun("completed", run.RunId, "cancelled", displayTitle: $"provision {run.JobId} attempt 1");
        var first = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", body, delivery));
        await fixture.DispatchedRunAsync(run.JobId, attempt: 2);
        var before = await fixture.JobAsync(run.JobId);

        var second = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", body, delivery));

        Assert.Equal((HttpStatusCode.OK, false), (first.Status, first.Duplicate));
        Assert.Equal((HttpStatusCode.OK, true), (second.Status, second.Duplicate));
        var after = await fixture.JobAsync(run.JobId);
        Assert.Equal((before.Version, before.Attempt), (after.Version, after.Attempt));
    }

    [Fact]
    public async Task WorkflowRunCompleted_Success_IgnoredAndTheRunStillOwnsTheJob()
    {
        var run = await fixture.ClaimedRunAsync();

        var answer = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", GitHubDelivery.WorkflowRun("completed", run.RunId, "success")));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Contains("success needs no action", answer.Text("ignored"));
        Assert.Equal(JobStatus.Provisioning, (await fixture.JobAsync(run.JobId)).Status);
    }

    [Fact]
    public async Task WorkflowRunCompleted_RunNotInReadModelButNamedInTitle_FoundByTitle()
    {
        var run = await fixture.ClaimedRunAsync();
        await using (var dataSource = NpgsqlDataSource.Create(fixture.System.ConnectionString))
        {
            // The read model has not caught up with the run yet.
            await using var command = dataSource.CreateCommand("UPDATE jobs SET run_id = NULL WHERE job_id = $1");
            command.Parameters.AddWithValue(run.JobId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var answer = await Http.SendWebhookAsync(GitHubDelivery.Request(
            "workflow_run", GitHubDelivery.WorkflowRun("completed", run.RunId, "failure", displayTitle: $"provision {run.JobId} attempt 1")));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal((run.JobId, "queued"), (answer.JobId, answer.Text("status")));
    }

    [Fact]
    public async Task WorkflowRunCompleted_UnknownRun_200Ignored()
    {
        var answer = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", GitHubDelivery.WorkflowRun("completed", "42424242", "failure")));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("run 42424242 belongs to no job", answer.Text("ignored"));
    }

    [Fact]
    public async Task WorkflowRunRequested_OfTheClaimingRun_200IgnoredAndJobUnchanged()
    {
        var run = await fixture.ClaimedRunAsync();
        var before = await fixture.JobAsync(run.JobId);

        var answer = await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", GitHubDelivery.WorkflowRun("requested", run.RunId, null)));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("action requested needs no action", answer.Text("ignored"));
        Assert.Equal(before.Version, (await fixture.JobAsync(run.JobId)).Version);
    }

    [Fact]
    public async Task GitHubEvents_Answered_CountedByEventAndOutcomeInTheGatewayMetrics()
    {
        var run = await fixture.ClaimedRunAsync();
        var before = await TelemetrySystem.ScrapeAsync(fixture.System.GatewayUrl);
        var delivery = Guid.NewGuid().ToString();
        var failed = GitHubDelivery.WorkflowRun("completed", run.RunId, "failure", displayTitle: $"provision {run.JobId} attempt 1");

        Assert.Equal(HttpStatusCode.OK, (await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", failed, delivery))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", failed, delivery))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Http.SendWebhookAsync(GitHubDelivery.Request("check_suite", """{"action":"completed"}"""))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Http.SendWebhookAsync(GitHubDelivery.Request("workflow_run", failed, signature: GitHubDelivery.Sign(failed, "not-the-secret")))).Status);

        var after = await TelemetrySystem.ScrapeAsync(fixture.System.GatewayUrl);
        double Delta(string gitHubEvent, string outcome) =>
            after.Sum("provisioning_github_events_total", ("event", gitHubEvent), ("outcome", outcome))
            - before.Sum("provisioning_github_events_total", ("event", gitHubEvent), ("outcome", outcome));
        Assert.Equal(
            (1d, 1d, 1d, 1d),
            (Delta("workflow_run", "applied"), Delta("workflow_run", "duplicate"), Delta("other", "ignored"), Delta("unknown", "rejected")));
    }

    [Theory]
    [InlineData("ping", """{"zen":"Design for failure.","hook_id":123456}""")]
    [InlineData("workflow_job", null)]
    public async Task OtherEvents_Signed_200Ignored(string gitHubEvent, string? body)
    {
        body ??= GitHubDelivery.Load("workflow_job.completed.failure.payload.json").ToJsonString();

        var answer = await Http.SendWebhookAsync(GitHubDelivery.Request(gitHubEvent, body));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.True(answer.Body.GetProperty("ok").GetBoolean());
        Assert.Equal(gitHubEvent, answer.Text("event"));
        Assert.False(string.IsNullOrEmpty(answer.Text("ignored")));
    }

    [Fact]
    public async Task GitHubEvents_GatewayWithoutWebhookSecret_503NotConfigured()
    {
        var (gateway, url) = await fixture.System.Cluster.StartGatewayAsync(new Dictionary<string, string?> { ["GitHub__WebhookSecret"] = null });
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };

            var answer = await http.SendWebhookAsync(GitHubDelivery.Request("ping", """{"zen":"Keep it logically awesome."}"""));

            CallbackAssert.Refused(answer, HttpStatusCode.ServiceUnavailable, "not-configured");
            Assert.Contains("GitHub:WebhookSecret", answer.Text("detail"));
        }
        finally
        {
            await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }
}
