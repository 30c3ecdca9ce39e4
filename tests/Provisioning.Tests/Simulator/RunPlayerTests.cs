using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Workflow;

namespace Provisioning.Tests.Simulator;

/// <summary>
/// The simulator plays the workflow's side of a dispatched run: signed claim, heartbeats and complete to the dispatched
/// callback URL, the run's status following along, the callback log, and each run behaviour.
/// </summary>
[Collection(RunPlayerCollection.Name)]
public sealed class RunPlayerTests(RunPlayerFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly string _jobId = $"evt_{Guid.NewGuid():N}";

    private ActionsSimulatorProcess Simulator => fixture.Simulator;

    private CallbackReceiver Receiver => fixture.Receiver;

    public Task InitializeAsync()
    {
        Receiver.Answer = (_, _) => CallbackAnswer.Ok;
        return Simulator.ClearAsync();
    }

    public async Task DisposeAsync()
    {
        Receiver.Answer = (_, _) => CallbackAnswer.Ok;
        await Simulator.ClearAsync();
    }

    [Fact]
    public async Task Dispatch_NormalRun_SendsSignedClaimHeartbeatsAndCompleteInOrder()
    {
        var (runId, htmlUrl) = await fixture.DispatchAsync(_jobId, attempt: "3", agentId: "agent-42", region: "us-west");

        var callbacks = await WaitForEventAsync(_jobId, "complete");

        var events = callbacks.Select(c => c.Event).ToList();
        Assert.Equal("claim", events[0]);
        Assert.Equal("complete", events[^1]);
        Assert.True(events.Count >= 3 && events.Skip(1).SkipLast(1).All(e => e == "heartbeat"), string.Join(", ", events));
        Assert.All(callbacks, c =>
        {
            Assert.True(c.SignatureValid, $"{c.Event}: signature {c.Signature} does not verify");
            Assert.Equal(_jobId, c.JobId);
            Assert.Equal(3, c.Field("attempt").GetInt32());
            Assert.Equal(runId, c.Field("run_id").GetInt64());
            Assert.Equal(1, c.Field("run_attempt").GetInt32());
            Assert.Equal(htmlUrl, c.Text("run_url"));
            Assert.InRange(c.SignedAt, c.ReceivedAt.AddSeconds(-5), c.ReceivedAt.AddSeconds(5));
        });
        Assert.Equal(callbacks.Count, callbacks.Select(c => c.WebhookId).Distinct().Count());
        var output = callbacks[^1].Field("output");
        Assert.Equal("https://agent-42.agents.example.com", output.GetProperty("endpoint").GetString());
        Assert.Equal("us-west", output.GetProperty("region").GetString());
        var provisioning = callbacks[^1].ReceivedAt - callbacks[0].ReceivedAt;
        Assert.True(provisioning >= RunPlayerFixture.ProvisionDuration - TimeSpan.FromMilliseconds(50), $"completed {provisioning} after the claim");
        Assert.Equal("success", await fixture.WaitForRunEndAsync(runId));
    }

    [Fact]
    public async Task Dispatch_NormalRun_CallbackLogRecordsEachCallbackWithItsAnswer()
    {
        var (runId, _) = await fixture.DispatchAsync(_jobId);
        var received = await WaitForEventAsync(_jobId, "complete");
        await fixture.WaitForRunEndAsync(runId);

        var logged = await Simulator.GetCallbacksAsync(_jobId);

        Assert.Equal(received.Select(c => (c.Event, c.WebhookId)), logged.Select(c => ((string?)c.Event, (string?)c.WebhookId)));
        Assert.All(logged, c =>
        {
            Assert.Equal((runId, 1, 1, 200, "accepted"), (c.RunId, c.Attempt, c.Try, c.Status, c.Outcome));
            Assert.Equal(Receiver.Url.ToString(), c.Url);
            Assert.Null(c.Behaviour);
            Assert.NotNull(c.AnsweredAt);
            Assert.Contains("provisioning", c.Answer, StringComparison.Ordinal);
            Assert.Equal(c.Event, c.Body.GetProperty("event").GetString());
        });
        Assert.True(logged.Zip(logged.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence && p.First.SentAt <= p.Second.SentAt));
        Assert.DoesNotContain(logged, c => (c.JobId ?? "") != _jobId);
    }

    [Fact]
    public async Task Dispatch_Run_StatusInProgressWhileProvisioningThenCompletedSuccess()
    {
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("slow", _jobId, Milliseconds: 2500));
        var (runId, _) = await fixture.DispatchAsync(_jobId);

        await WaitForEventAsync(_jobId, "claim");
        var during = await fixture.GetRunAsync(runId);
        var conclusion = await fixture.WaitForRunEndAsync(runId);

        Assert.Equal(("in_progress", null), during);
        Assert.Equal("success", conclusion);
    }

    [Fact]
    public async Task Silent_NextRunForJob_NeverCallsBackAndStaysQueued()
    {
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", _jobId));
        var (silentRun, _) = await fixture.DispatchAsync(_jobId);
        var otherJob = $"evt_{Guid.NewGuid():N}";
        await fixture.DispatchAsync(otherJob);

        // The other job's run, dispatched later, has played to its end: a silent run would have called back by now.
        await WaitForEventAsync(otherJob, "complete");

        Assert.Empty(Receiver.For(_jobId));
        Assert.Empty(await Simulator.GetCallbacksAsync(_jobId));
        Assert.Equal(("queued", null), await fixture.GetRunAsync(silentRun));
    }

    [Fact]
    public async Task StopHeartbeats_NextRunForJob_ClaimsThenSendsNothingAndStaysInProgress()
    {
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("stop-heartbeats", _jobId));
        var (hungRun, _) = await fixture.DispatchAsync(_jobId);
        var otherJob = $"evt_{Guid.NewGuid():N}";
        await fixture.DispatchAsync(otherJob);

        await WaitForEventAsync(otherJob, "complete");

        var callbacks = Receiver.For(_jobId);
        Assert.Equal(["claim"], callbacks.Select(c => c.Event));
        Assert.True(callbacks[0].SignatureValid);
        Assert.Equal("stop-heartbeats", Assert.Single(await Simulator.GetCallbacksAsync(_jobId)).Behaviour);
        Assert.Equal(("in_progress", null), await fixture.GetRunAsync(hungRun));
    }

    [Theory]
    [InlineData(true, "disk quota exceeded in \"eu-west\"")]
    [InlineData(false, null)]
    public async Task Fail_NextRunForJob_ClaimsThenFailsWithMessageAndRetryable(bool retryable, string? message)
    {
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", _jobId, Retryable: retryable ? true : null, Message: message));
        var (runId, _) = await fixture.DispatchAsync(_jobId);

        var callbacks = await WaitForEventAsync(_jobId, "fail");

        Assert.Equal(["claim", "fail"], callbacks.Select(c => c.Event));
        Assert.All(callbacks, c => Assert.True(c.SignatureValid));
        var fail = callbacks[^1];
        Assert.Equal(retryable, fail.Field("retryable").GetBoolean());
        Assert.Equal(message ?? "provisioning failed (simulated by the Actions simulator)", fail.Text("message"));
        Assert.Equal(JsonValueKind.Undefined, fail.Field("output").ValueKind);
        Assert.Equal("failure", await fixture.WaitForRunEndAsync(runId));
    }

    [Fact]
    public async Task Fail_WithMilliseconds_HeartbeatsUntilItFails()
    {
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", _jobId, Milliseconds: 1000));
        await fixture.DispatchAsync(_jobId);

        var callbacks = await WaitForEventAsync(_jobId, "fail");

        Assert.Equal("claim", callbacks[0].Event);
        Assert.Contains(callbacks, c => c.Event == "heartbeat");
        Assert.Equal("fail", callbacks[^1].Event);
    }

    [Theory]
    [InlineData("3", null, 2)]
    [InlineData("1", null, 2)]
    [InlineData("4", 1, 1)]
    public async Task StaleAttempt_JobAnswers409_ClaimCarriesWrongAttemptAndRunStops(string dispatched, int? attempt, int sent)
    {
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("stale-attempt", _jobId, Attempt: attempt));
        Receiver.Answer = (c, _) => c.JobId == _jobId && c.Field("attempt").GetInt32() != int.Parse(dispatched, System.Globalization.CultureInfo.InvariantCulture)
            ? CallbackAnswer.Conflict
            : CallbackAnswer.Ok;
        var (runId, _) = await fixture.DispatchAsync(_jobId, attempt: dispatched);

        var conclusion = await fixture.WaitForRunEndAsync(runId);

        var claim = Assert.Single(Receiver.For(_jobId));
        Assert.Equal(("claim", sent), (claim.Event, claim.Field("attempt").GetInt32()));
        Assert.Equal("cancelled", conclusion);
        var logged = Assert.Single(await Simulator.GetCallbacksAsync(_jobId));
        Assert.Equal((409, "stop", "stale-attempt", sent), (logged.Status, logged.Outcome, logged.Behaviour, logged.Attempt));
    }

    [Fact]
    public async Task Slow_NextRunForJob_ProvisionsForItsMillisecondsWithHeartbeats()
    {
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("slow", _jobId, Milliseconds: 2000));
        await fixture.DispatchAsync(_jobId);

        var callbacks = await WaitForEventAsync(_jobId, "complete");

        var took = callbacks[^1].ReceivedAt - callbacks[0].ReceivedAt;
        Assert.True(took >= TimeSpan.FromMilliseconds(1950), $"completed {took} after the claim");
        Assert.True(callbacks.Count(c => c.Event == "heartbeat") >= 5, string.Join(", ", callbacks.Select(c => c.Event)));
    }

    [Fact]
    public async Task Heartbeat_Answered409_RunStopsWithoutCompleting()
    {
        Receiver.Answer = (c, _) => c.JobId == _jobId && c.Event == "heartbeat" ? CallbackAnswer.Conflict : CallbackAnswer.Ok;
        var (runId, _) = await fixture.DispatchAsync(_jobId);

        var conclusion = await fixture.WaitForRunEndAsync(runId);

        Assert.Equal("cancelled", conclusion);
        Assert.Equal(["claim", "heartbeat"], Receiver.For(_jobId).Select(c => c.Event));
        Assert.Equal(["accepted", "stop"], (await Simulator.GetCallbacksAsync(_jobId)).Select(c => c.Outcome));
    }

    [Fact]
    public async Task Claim_Answered409_RunStopsAtOnce()
    {
        Receiver.Answer = (c, _) => c.JobId == _jobId ? CallbackAnswer.Conflict : CallbackAnswer.Ok;
        var (runId, _) = await fixture.DispatchAsync(_jobId);

        Assert.Equal("cancelled", await fixture.WaitForRunEndAsync(runId));
        Assert.Equal(["claim"], Receiver.For(_jobId).Select(c => c.Event));
    }

    [Fact]
    public async Task Claim_Answered503Once_RetriedWithSameWebhookIdAndRunGoesOn()
    {
        var failed = 0;
        Receiver.Answer = (c, _) => c.JobId == _jobId && c.Event == "claim" && Interlocked.Increment(ref failed) == 1
            ? CallbackAnswer.Unavailable
            : CallbackAnswer.Ok;
        var (runId, _) = await fixture.DispatchAsync(_jobId);

        var callbacks = await WaitForEventAsync(_jobId, "complete");

        Assert.Equal(["claim", "claim"], callbacks.Take(2).Select(c => c.Event));
        Assert.Equal(callbacks[0].WebhookId, callbacks[1].WebhookId);
        Assert.All(callbacks, c => Assert.True(c.SignatureValid));
        var logged = await Simulator.GetCallbacksAsync(_jobId);
        Assert.Equal([(1, 503, "retry"), (2, 200, "accepted")], logged.Take(2).Select(c => (c.Try, c.Status ?? 0, c.Outcome)));
        Assert.Equal("success", await fixture.WaitForRunEndAsync(runId));
    }

    [Fact]
    public async Task Claim_AlwaysUnavailable_GivesUpAfterCallbackTriesAndRunFails()
    {
        Receiver.Answer = (c, _) => c.JobId == _jobId ? CallbackAnswer.Unavailable : CallbackAnswer.Ok;
        var (runId, _) = await fixture.DispatchAsync(_jobId);

        Assert.Equal("failure", await fixture.WaitForRunEndAsync(runId));
        Assert.Equal(["retry", "retry", "gave-up"], (await Simulator.GetCallbacksAsync(_jobId)).Select(c => c.Outcome));
    }

    [Fact]
    public async Task Behaviour_ForOneJob_AppliesToItsNextRunOnlyAndLeavesOtherJobsAlone()
    {
        var otherJob = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", _jobId));

        var (otherRun, _) = await fixture.DispatchAsync(otherJob);
        var (firstRun, _) = await fixture.DispatchAsync(_jobId);
        Assert.Equal("success", await fixture.WaitForRunEndAsync(otherRun));
        Assert.Equal("failure", await fixture.WaitForRunEndAsync(firstRun));
        var (secondRun, _) = await fixture.DispatchAsync(_jobId, attempt: "2");

        Assert.Equal("success", await fixture.WaitForRunEndAsync(secondRun));
        Assert.Empty(await Simulator.GetBehavioursAsync());
        var logged = await Simulator.GetCallbacksAsync(_jobId);
        Assert.Equal(["fail", "fail"], logged.Where(c => c.RunId == firstRun).Select(c => c.Behaviour));
        Assert.All(logged.Where(c => c.RunId == secondRun), c => Assert.Null(c.Behaviour));
    }

    [Fact]
    public async Task Behaviour_Times0_AppliesUntilCleared()
    {
        var queued = await Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", _jobId, Times: 0));

        var (first, _) = await fixture.DispatchAsync(_jobId);
        var (second, _) = await fixture.DispatchAsync(_jobId, attempt: "2");

        Assert.Null(queued.Remaining);
        Assert.Equal("failure", await fixture.WaitForRunEndAsync(first));
        Assert.Equal("failure", await fixture.WaitForRunEndAsync(second));
        Assert.Equal(queued.Id, Assert.Single(await Simulator.GetBehavioursAsync()).Id);
    }

    [Fact]
    public async Task AddBehaviour_Defaults_AreFilledIn()
    {
        var fail = await Simulator.AddBehaviourAsync(new SimulatorBehaviour("fail", _jobId));
        var slow = await Simulator.AddBehaviourAsync(new SimulatorBehaviour("slow"));
        var stale = await Simulator.AddBehaviourAsync(new SimulatorBehaviour("stale-attempt", Times: 2));

        Assert.Equal((1, 1, _jobId, false, 0), (fail.Times, fail.Remaining, fail.JobId, fail.Retryable, fail.Milliseconds));
        Assert.Equal("provisioning failed (simulated by the Actions simulator)", fail.Message);
        Assert.Equal((30000, (string?)null), (slow.Milliseconds, slow.JobId));
        Assert.Equal((2, (int?)null), (stale.Remaining, stale.Attempt));
        Assert.Equal([fail.Id, slow.Id, stale.Id], (await Simulator.GetBehavioursAsync()).Select(b => b.Id));
    }

    [Theory]
    [InlineData("""{"kind":"explode"}""", "kind")]
    [InlineData("""{"kind":"silent","milliseconds":5}""", "milliseconds")]
    [InlineData("""{"kind":"slow","milliseconds":-1}""", "milliseconds")]
    [InlineData("""{"kind":"slow","retryable":true}""", "retryable")]
    [InlineData("""{"kind":"fail","attempt":2}""", "attempt")]
    [InlineData("""{"kind":"stale-attempt","message":"x"}""", "message")]
    [InlineData("""{"kind":"fail","times":-1}""", "times")]
    [InlineData("""{"kind":"fail","jobId":""}""", "jobId")]
    [InlineData("""{"kind":"fail","retry":true}""", "retry")]
    public async Task AddBehaviour_Invalid_Answers400NamingTheField(string json, string field)
    {
        using var response = await fixture.Simulator.Control.PostAsync("/_simulator/behaviours", new StringContent(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await Simulator.GetBehavioursAsync());
    }

    [Fact]
    public async Task DeleteBehaviour_ById_RemovesOnlyThatOne()
    {
        var first = await Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", _jobId));
        var second = await Simulator.AddBehaviourAsync(new SimulatorBehaviour("slow", _jobId));

        using var response = await fixture.Simulator.Control.DeleteAsync($"/_simulator/behaviours/{first.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(second.Id, Assert.Single(await Simulator.GetBehavioursAsync()).Id);
    }

    [Fact]
    public async Task DeleteCallbacks_EmptiesTheCallbackLog()
    {
        var (runId, _) = await fixture.DispatchAsync(_jobId);
        await fixture.WaitForRunEndAsync(runId);
        Assert.NotEmpty(await Simulator.GetCallbacksAsync(_jobId));

        using var response = await fixture.Simulator.Control.DeleteAsync("/_simulator/callbacks");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await Simulator.GetCallbacksAsync());
    }

    private Task<IReadOnlyList<ReceivedCallback>> WaitForEventAsync(string jobId, string callbackEvent) =>
        Receiver.WaitForAsync(jobId, c => c.Event == callbackEvent, Deadline, $"a {callbackEvent} callback for {jobId}");
}
