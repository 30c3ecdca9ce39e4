using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Jobs;
using Provisioning.Tests.Api;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Callbacks;

/// <summary>
/// The workflow's side of a job, through <c>POST /api/webhooks/github</c> on the real gateway: signed callbacks move the job,
/// and only the current attempt's claiming run is heard; everything else is refused without a change.
/// </summary>
[Collection(CallbackCollection.Name)]
public sealed class CallbackProtocolTests(CallbackSystemFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Callbacks_ClaimHeartbeatCompleteAfterPaidCheckout_JobSucceededWithOutputRunAndHistory()
    {
        var user = StripeEventFactory.NewId("user");
        var checkout = StripeEventFactory.CheckoutCompleted(user, StripeEventFactory.NewId("agent"), region: "us-west");
        Assert.Equal(HttpStatusCode.OK, (await Http.DeliverAsync(checkout)).Status);
        var run = await fixture.DispatchedRunAsync(checkout.Id);
        var claimedAt = DateTimeOffset.UtcNow;

        var claim = await run.ClaimAsync();
        var heartbeat = await run.HeartbeatAsync();
        var complete = await run.CompleteAsync(new JsonObject { ["endpoint"] = "https://agent-7.example.net", ["instance"] = new JsonObject { ["id"] = "i-0abc" } });

        CallbackAssert.Accepted(claim, "provisioning", 1);
        CallbackAssert.Accepted(heartbeat, "provisioning", 1);
        CallbackAssert.Accepted(complete, "succeeded", 1);
        var job = await fixture.GetJobJsonAsync(checkout.Id);
        Assert.True(job.Status == HttpStatusCode.OK, job.ToString());
        var body = job.Body;
        Assert.Equal(("succeeded", 1), (body.GetProperty("status").GetString(), body.GetProperty("attempt").GetInt32()));
        Assert.Equal("https://agent-7.example.net", body.GetProperty("output").GetProperty("endpoint").GetString());
        Assert.Equal("i-0abc", body.GetProperty("output").GetProperty("instance").GetProperty("id").GetString());
        Assert.Equal((run.RunId, run.RunUrl, 1), (body.GetProperty("runId").GetString(), body.GetProperty("runUrl").GetString(), body.GetProperty("runAttempt").GetInt32()));
        Assert.True(body.GetProperty("lastHeartbeatAt").GetDateTimeOffset() >= claimedAt.AddSeconds(-1));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lastError").ValueKind);
        var history = body.GetProperty("history").EnumerateArray()
            .Select(h => (To: h.GetProperty("to").GetString(), Actor: h.GetProperty("actor").GetString(), Name: h.GetProperty("actorName").GetString()))
            .ToArray();
        (string?, string?, string?)[] expected =
            [("queued", "stripe", null), ("dispatched", "system", null), ("provisioning", "github", $"run {run.RunId}"), ("succeeded", "github", $"run {run.RunId}")];
        Assert.Equal(expected, history);

        var listed = await Eventually.UntilAsync(
            () => ApiJson.GetAsync(Http, $"/api/users/{user}/jobs"),
            page => page.Status == HttpStatusCode.OK && page.Body.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("status").GetString() == "succeeded"),
            CallbackSystemFixture.Deadline, "the listing to show the job succeeded");
        var item = Assert.Single(listed.Body.GetProperty("items").EnumerateArray());
        Assert.Equal("https://agent-7.example.net", item.GetProperty("output").GetProperty("endpoint").GetString());
        Assert.Equal(1, item.GetProperty("runAttempt").GetInt32());
        Assert.Equal(JsonValueKind.String, item.GetProperty("lastHeartbeatAt").ValueKind);
    }

    [Fact]
    public async Task Callback_SignedWithUnknownSecret_401AndJobUnchanged()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());
        var before = await fixture.JobAsync(run.JobId);

        var answer = await Http.SendWebhookAsync(CallbackSigner.Request(run.Body("claim"), secret: "whsec_" + Convert.ToBase64String(new byte[32])));

        CallbackAssert.Refused(answer, HttpStatusCode.Unauthorized, "signature-mismatch");
        Assert.Equal(before.Version, (await fixture.JobAsync(run.JobId)).Version);
        Assert.Equal(JobStatus.Dispatched, (await fixture.JobAsync(run.JobId)).Status);
    }

    [Fact]
    public async Task Callback_BodyChangedAfterSigning_401AndJobUnchanged()
    {
        var run = await fixture.ClaimedRunAsync();
        var before = await fixture.JobAsync(run.JobId);
        var (id, signedAt) = ($"msg_{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        var signedBody = run.Body("heartbeat");
        var signature = CallbackSigner.Sign(TestSecrets.CallbackSecret, id, signedAt.ToUnixTimeSeconds(), System.Text.Encoding.UTF8.GetBytes(signedBody));

        var answer = await Http.SendWebhookAsync(CallbackSigner.Request(
            run.Body("complete", new JsonObject { ["output"] = new JsonObject { ["endpoint"] = "https://attacker.example" } }),
            id, signedAt: signedAt, signature: signature));

        CallbackAssert.Refused(answer, HttpStatusCode.Unauthorized, "signature-mismatch");
        var after = await fixture.JobAsync(run.JobId);
        Assert.Equal((before.Version, JobStatus.Provisioning, null), (after.Version, after.Status, after.OutputJson));
    }

    [Fact]
    public async Task Callback_WithoutSignatureHeaders_401WithWwwAuthenticate()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new StringContent(run.Body("claim")) };

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        Assert.Contains("signature-missing", await response.Content.ReadAsStringAsync());
        Assert.Equal(JobStatus.Dispatched, (await fixture.JobAsync(run.JobId)).Status);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task Callback_TimestampMoreThanFiveMinutesAway_401Expired(int offsetSeconds)
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());

        var answer = await Http.SendWebhookAsync(CallbackSigner.Request(run.Body("claim"), signedAt: DateTimeOffset.UtcNow.AddSeconds(offsetSeconds)));

        CallbackAssert.Refused(answer, HttpStatusCode.Unauthorized, "signature-expired");
        Assert.Equal(JobStatus.Dispatched, (await fixture.JobAsync(run.JobId)).Status);
    }

    [Theory]
    [InlineData("soon", null)]
    [InlineData(null, "v2,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=")]
    [InlineData(null, "K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=")]
    public async Task Callback_MalformedSignatureHeaders_401Malformed(string? timestamp, string? signature)
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());
        var request = CallbackSigner.Request(run.Body("claim"), signature: signature);
        if (timestamp is not null)
        {
            request.Headers.Remove("webhook-timestamp");
            request.Headers.Add("webhook-timestamp", timestamp);
        }

        var answer = await Http.SendWebhookAsync(request);

        CallbackAssert.Refused(answer, HttpStatusCode.Unauthorized, "signature-malformed");
        Assert.Equal(JobStatus.Dispatched, (await fixture.JobAsync(run.JobId)).Status);
    }

    [Fact]
    public async Task Callback_ClusterUnreachable_503WithRetryAfter()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());
        var (gateway, url) = await fixture.System.Cluster.StartGatewayAsync(
            new Dictionary<string, string?> { ["Orleans__ClusterId"] = $"no-silos-{Guid.NewGuid():N}"[..20] }, waitUntilReady: false);
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };

            var answer = await http.SendWebhookAsync(CallbackSigner.Request(run.Body("claim")));

            CallbackAssert.Refused(answer, HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.NotNull(answer.RetryAfter);
            Assert.Equal(JobStatus.Dispatched, (await fixture.JobAsync(run.JobId)).Status);
        }
        finally
        {
            await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Callback_SignedWithPreviousSecretAmongSeveralSignatures_Accepted()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());
        var (id, signedAt) = ($"msg_{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        var body = run.Body("claim");
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var forged = CallbackSigner.Sign("whsec_" + Convert.ToBase64String(new byte[32]), id, signedAt.ToUnixTimeSeconds(), bytes);
        var previous = CallbackSigner.Sign(TestSecrets.CallbackSecretPrevious, id, signedAt.ToUnixTimeSeconds(), bytes);

        var answer = await Http.SendWebhookAsync(CallbackSigner.Request(body, id, signedAt: signedAt, signature: $"{forged} v1a,notsupported {previous}"));

        CallbackAssert.Accepted(answer, "provisioning", 1);
    }

    [Fact]
    public async Task Callback_ReplayedWebhookId_200DuplicateWithoutSecondEffect()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());
        var (claimId, heartbeatId) = ($"msg_{Guid.NewGuid():N}", $"msg_{Guid.NewGuid():N}");
        CallbackAssert.Accepted(await run.SendAsync("claim", id: claimId), "provisioning", 1);
        CallbackAssert.Accepted(await run.HeartbeatAsync(heartbeatId), "provisioning", 1);
        var before = await fixture.JobAsync(run.JobId);

        var claimAgain = await run.SendAsync("claim", id: claimId);
        var heartbeatAgain = await run.HeartbeatAsync(heartbeatId);

        CallbackAssert.Accepted(claimAgain, "provisioning", 1, duplicate: true);
        CallbackAssert.Accepted(heartbeatAgain, "provisioning", 1, duplicate: true);
        var after = await fixture.JobAsync(run.JobId);
        Assert.Equal((before.Version, before.History.Count, before.LastHeartbeatAt), (after.Version, after.History.Count, after.LastHeartbeatAt));
    }

    [Fact]
    public async Task Claim_FromStaleAttemptsRun_409WithStatusAndAttemptAndJobUnaffected()
    {
        var firstRun = await fixture.ClaimedRunAsync();
        CallbackAssert.Accepted(await firstRun.FailAsync("runner lost", retryable: true), "queued", 2);
        var secondRun = await fixture.DispatchedRunAsync(firstRun.JobId, attempt: 2);
        var before = await fixture.JobAsync(firstRun.JobId);

        var stale = await firstRun.ClaimAsync();

        CallbackAssert.Conflict(stale, "dispatched", 2, detailContains: "attempt 1 is stale");
        var after = await fixture.JobAsync(firstRun.JobId);
        Assert.Equal((before.Version, JobStatus.Dispatched, 2, secondRun.RunId), (after.Version, after.Status, after.Attempt, after.RunId));
        CallbackAssert.Accepted(await secondRun.ClaimAsync(), "provisioning", 2);
    }

    [Fact]
    public async Task Claim_BySecondRunOfTheSameAttempt_409AndTheFirstRunKeepsTheJob()
    {
        var run = await fixture.ClaimedRunAsync();
        var duplicateRun = run.With(otherRunId: "987654321");

        var secondClaim = await duplicateRun.ClaimAsync();

        CallbackAssert.Conflict(secondClaim, "provisioning", 1, detailContains: $"already claimed by run {run.RunId}");
        CallbackAssert.Accepted(await run.HeartbeatAsync(), "provisioning", 1);
        Assert.Equal(run.RunId, (await fixture.JobAsync(run.JobId)).RunId);
    }

    [Fact]
    public async Task Heartbeat_FromRunThatDidNotClaim_409AndNoHeartbeatRecorded()
    {
        var run = await fixture.ClaimedRunAsync();
        var before = await fixture.JobAsync(run.JobId);

        var answer = await run.With(otherRunId: "123123123").HeartbeatAsync();

        CallbackAssert.Conflict(answer, "provisioning", 1, detailContains: $"claimed by run {run.RunId}");
        var after = await fixture.JobAsync(run.JobId);
        Assert.Equal((before.Version, before.LastHeartbeatAt), (after.Version, after.LastHeartbeatAt));
    }

    [Fact]
    public async Task Callbacks_AfterOperatorCancelled_409CancelledForEveryEvent()
    {
        var run = await fixture.ClaimedRunAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.OperatorPostAsync($"/api/jobs/{run.JobId}/cancel")).Status);

        var heartbeat = await run.HeartbeatAsync();
        var complete = await run.CompleteAsync(new JsonObject { ["endpoint"] = "https://too-late.example" });
        var fail = await run.FailAsync("gave up", retryable: true);

        CallbackAssert.Conflict(heartbeat, "cancelled", 1, detailContains: "already cancelled");
        CallbackAssert.Conflict(complete, "cancelled", 1);
        CallbackAssert.Conflict(fail, "cancelled", 1);
        var job = await fixture.JobAsync(run.JobId);
        Assert.Equal((JobStatus.Cancelled, null, 1), (job.Status, job.OutputJson, job.Attempt));
    }

    [Fact]
    public async Task Fail_Retryable_NewAttemptDispatchedWithAttemptTwo()
    {
        var run = await fixture.ClaimedRunAsync();

        var answer = await run.FailAsync("runner lost", retryable: true);

        CallbackAssert.Accepted(answer, "queued", 2);
        var next = await fixture.DispatchedRunAsync(run.JobId, attempt: 2);
        Assert.NotEqual(run.RunId, next.RunId);
        var attempts = (await fixture.System.Simulator.GetRequestsAsync(run.JobId))
            .Where(r => r.Status == 200)
            .Select(r => r.Body!.Value.GetProperty("inputs").GetProperty("attempt").GetString());
        Assert.Equal(new[] { "1", "2" }, attempts);
        var job = await fixture.JobAsync(run.JobId);
        Assert.Contains(job.History, e => e is { From: JobStatus.Provisioning, To: JobStatus.Queued, Actor: JobActor.Github } && e.Reason.Contains("runner lost"));
    }

    [Fact]
    public async Task Fail_NotRetryable_FailedWithTheMessageAsLastError()
    {
        var run = await fixture.ClaimedRunAsync();

        var answer = await run.FailAsync("terraform apply failed: quota exceeded", retryable: false);

        CallbackAssert.Accepted(answer, "failed", 1);
        var job = await fixture.GetJobJsonAsync(run.JobId);
        Assert.Equal("failed", job.Body.GetProperty("status").GetString());
        Assert.Contains("terraform apply failed: quota exceeded", job.Body.GetProperty("lastError").GetString());
        var last = job.Body.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("provisioning", "failed", "github", $"run {run.RunId}"),
            (last.GetProperty("from").GetString(), last.GetProperty("to").GetString(), last.GetProperty("actor").GetString(), last.GetProperty("actorName").GetString()));
    }

    [Fact]
    public async Task Claim_AttemptAndRunIdAsJsonNumbers_Accepted()
    {
        var run = await fixture.DispatchedRunAsync(await fixture.CreateJobAsync());
        var body = new JsonObject
        {
            ["job_id"] = run.JobId,
            ["attempt"] = 1,
            ["event"] = "claim",
            ["run_id"] = long.Parse(run.RunId, System.Globalization.CultureInfo.InvariantCulture),
            ["run_attempt"] = 2,
        }.ToJsonString();

        var answer = await Http.SendWebhookAsync(CallbackSigner.Request(body));

        CallbackAssert.Accepted(answer, "provisioning", 1);
        var job = await fixture.JobAsync(run.JobId);
        Assert.Equal((run.RunId, 2), (job.RunId, job.RunAttempt));
    }

    [Theory]
    [InlineData("""{"attempt":"1","event":"claim","run_id":"7"}""", "job_id")]
    [InlineData("""{"job_id":"{job}","event":"claim","run_id":"7"}""", "attempt")]
    [InlineData("""{"job_id":"{job}","attempt":"one","event":"claim","run_id":"7"}""", "attempt")]
    [InlineData("""{"job_id":"{job}","attempt":"1","event":"start","run_id":"7"}""", "event")]
    [InlineData("""{"job_id":"{job}","attempt":"1","event":"claim"}""", "run_id")]
    [InlineData("""{"job_id":"{job}","attempt":"1","event":"complete","run_id":"7","output":"https://agent"}""", "output")]
    [InlineData("""{"job_id":"{job}","attempt":"1","event":"claim","run_id":"7","run_url":"javascript:alert(1)"}""", "run_url")]
    [InlineData("""{"job_id":"{job}","attempt":"1","event":"fail","run_id":"7","retryable":"maybe"}""", "retryable")]
    [InlineData("""not json""", "body")]
    [InlineData("""["claim"]""", "body")]
    public async Task Callback_SignedButMalformedBody_400NamingTheFieldAndJobUnchanged(string template, string field)
    {
        var jobId = await fixture.CreateJobAsync();
        await fixture.DispatchedRunAsync(jobId);
        var before = await fixture.JobAsync(jobId);

        var answer = await Http.SendWebhookAsync(CallbackSigner.Request(template.Replace("{job}", jobId)));

        CallbackAssert.Refused(answer, HttpStatusCode.BadRequest, "invalid-callback");
        Assert.True(answer.Body.GetProperty("errors").TryGetProperty(field, out _), answer.ToString());
        Assert.Equal(before.Version, (await fixture.JobAsync(jobId)).Version);
    }

    [Fact]
    public async Task Callback_ForUnknownJob_404()
    {
        var run = new TestRun(Http, $"evt_unknown_{Guid.NewGuid():N}", 1, "555");

        var answer = await run.ClaimAsync();

        Assert.True(answer.Status == HttpStatusCode.NotFound, answer.ToString());
        Assert.Equal("application/problem+json", answer.MediaType);
    }

    [Fact]
    public async Task Callback_BodyOver64KiB_413()
    {
        var run = await fixture.ClaimedRunAsync();
        var body = run.Body("fail", new JsonObject { ["message"] = new string('x', 65 * 1024) });

        var answer = await Http.SendWebhookAsync(CallbackSigner.Request(body));

        CallbackAssert.Refused(answer, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        Assert.Equal(JobStatus.Provisioning, (await fixture.JobAsync(run.JobId)).Status);
    }
}
