using Provisioning.Grains.Jobs;
using Provisioning.Jobs;

namespace Provisioning.UnitTests.Jobs;

public sealed class JobCallbacksTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobsOptions Options = new() { MaxAttempts = 2, ClaimTimeout = TimeSpan.FromMinutes(15), HeartbeatTimeout = TimeSpan.FromMinutes(5) };

    [Fact]
    public void Apply_ClaimHeartbeatComplete_EndsSucceededWithOutputAndRun()
    {
        var job = Dispatched();

        Assert.Equal(JobActionOutcome.Done, JobCallbacks.Apply(job, Callback(CallbackEvent.Claim, runUrl: "https://gh/run/7"), Options, T0.AddMinutes(1)).Outcome);
        Assert.Equal(JobActionOutcome.Done, JobCallbacks.Apply(job, Callback(CallbackEvent.Heartbeat), Options, T0.AddMinutes(2)).Outcome);
        var decision = JobCallbacks.Apply(job, Callback(CallbackEvent.Complete, output: """{"endpoint":"x"}"""), Options, T0.AddMinutes(3));

        Assert.Equal(JobCallbacks.Decision.Done(JobCallbacks.Effect.Ended), decision);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("""{"endpoint":"x"}""", job.OutputJson);
        Assert.Equal("7", job.RunId);
        Assert.Equal("https://gh/run/7", job.RunUrl);
        Assert.Equal(T0.AddMinutes(2), job.LastHeartbeatAt);
        Assert.Equal(
            [JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Succeeded],
            job.History.Select(h => h.To));
        Assert.All(job.History.Skip(2), h => Assert.Equal((JobActor.Github, "run 7"), (h.Actor, h.ActorName)));
    }

    [Fact]
    public void Apply_SameCallbackIdTwice_SecondIsADuplicateWithNoEffect()
    {
        var job = Dispatched();
        var claim = Callback(CallbackEvent.Claim);
        JobCallbacks.Apply(job, claim, Options, T0);
        var version = job.Version;

        var decision = JobCallbacks.Apply(job, claim, Options, T0.AddSeconds(1));

        Assert.Equal(JobCallbacks.Decision.Duplicate, decision);
        Assert.Equal(version, job.Version);
    }

    [Theory]
    [InlineData(CallbackEvent.Claim)]
    [InlineData(CallbackEvent.Heartbeat)]
    [InlineData(CallbackEvent.Complete)]
    [InlineData(CallbackEvent.Fail)]
    public void Apply_StaleAttempt_ConflictAndNothingChanges(CallbackEvent callbackEvent)
    {
        var job = Dispatched();
        var version = job.Version;

        var (outcome, reason, _) = JobCallbacks.Apply(job, Callback(callbackEvent, attempt: 0), Options, T0);

        Assert.Equal(JobActionOutcome.Conflict, outcome);
        Assert.Contains("stale", reason);
        Assert.Equal(version, job.Version);
        Assert.Equal(JobStatus.Dispatched, job.Status);
    }

    [Fact]
    public void Apply_SecondRunClaims_ConflictAndTheFirstKeepsTheJob()
    {
        var job = Dispatched();
        JobCallbacks.Apply(job, Callback(CallbackEvent.Claim, runId: "7"), Options, T0);

        var second = JobCallbacks.Apply(job, Callback(CallbackEvent.Claim, runId: "8"), Options, T0);
        var heartbeat = JobCallbacks.Apply(job, Callback(CallbackEvent.Heartbeat, runId: "8"), Options, T0);
        var again = JobCallbacks.Apply(job, Callback(CallbackEvent.Claim, runId: "7"), Options, T0);

        Assert.Equal(JobActionOutcome.Conflict, second.Outcome);
        Assert.Contains("claimed by run 7", second.Reason);
        Assert.Equal(JobActionOutcome.Conflict, heartbeat.Outcome);
        Assert.Equal(JobActionOutcome.Done, again.Outcome);
        Assert.Equal("7", job.ClaimedBy);
    }

    [Fact]
    public void Apply_AfterTerminal_Conflict()
    {
        var job = Dispatched();
        JobStateMachine.TryMove(job, JobStatus.Cancelled, JobActor.Operator, "stop", T0, "alice");

        var (outcome, reason, _) = JobCallbacks.Apply(job, Callback(CallbackEvent.Claim), Options, T0);

        Assert.Equal(JobActionOutcome.Conflict, outcome);
        Assert.Contains("cancelled", reason);
    }

    [Fact]
    public void Apply_RetryableFailWithAttemptsLeft_StartsANewAttempt()
    {
        var job = Claimed();

        var decision = JobCallbacks.Apply(job, Callback(CallbackEvent.Fail, message: "quota", retryable: true), Options, T0);

        Assert.Equal(JobCallbacks.Decision.Done(JobCallbacks.Effect.NewAttempt), decision);
        Assert.Equal((JobStatus.Queued, 2), (job.Status, job.Attempt));
        Assert.Null(job.ClaimedBy);
        Assert.Contains("quota", job.History[^1].Reason);
    }

    [Fact]
    public void Apply_RetryableFailOnLastAttempt_Fails()
    {
        var job = Claimed();
        JobCallbacks.Apply(job, Callback(CallbackEvent.Fail, retryable: true), Options, T0);
        JobStateMachine.RecordDispatched(job, 8, null, null, T0);
        JobCallbacks.Apply(job, Callback(CallbackEvent.Claim, attempt: 2, runId: "8"), Options, T0);

        var decision = JobCallbacks.Apply(job, Callback(CallbackEvent.Fail, attempt: 2, runId: "8", message: "quota", retryable: true), Options, T0);

        Assert.Equal(JobCallbacks.Decision.Done(JobCallbacks.Effect.Ended), decision);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("attempt 2 of 2", job.LastError);
    }

    [Fact]
    public void Apply_NonRetryableFail_FailsWithTheMessage()
    {
        var job = Claimed();

        JobCallbacks.Apply(job, Callback(CallbackEvent.Fail, message: "bad agent config"), Options, T0);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("run 7 failed: bad agent config", job.LastError);
    }

    [Fact]
    public void Watch_ClaimOverdue_StartsANewAttempt()
    {
        var job = Dispatched();

        Assert.Null(JobCallbacks.Watch(job, Options, T0.AddMinutes(14)));
        Assert.Equal(JobCallbacks.Effect.NewAttempt, JobCallbacks.Watch(job, Options, T0.AddMinutes(15)));
        Assert.Contains("no claim within 15 min", job.History[^1].Reason);
        Assert.Equal(2, job.Attempt);
    }

    [Fact]
    public void Watch_HeartbeatsStopOnTheLastAttempt_FailsWithTheReason()
    {
        var job = Claimed();
        job.Attempt = Options.MaxAttempts;

        Assert.Null(JobCallbacks.Watch(job, Options, T0.AddMinutes(4)));
        Assert.Equal(JobCallbacks.Effect.Ended, JobCallbacks.Watch(job, Options, T0.AddMinutes(5)));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("no heartbeat for 5 min", job.LastError);
    }

    [Fact]
    public void RunCompleted_CurrentRunFailed_EndsTheAttemptOnceEvenIfDeliveredTwice()
    {
        var job = Claimed();

        var first = JobCallbacks.RunCompleted(job, "7", "failure", "delivery-1", Options, T0);
        var again = JobCallbacks.RunCompleted(job, "7", "failure", "delivery-1", Options, T0);

        Assert.Equal(JobCallbacks.Decision.Done(JobCallbacks.Effect.NewAttempt), first);
        Assert.Equal(JobCallbacks.Decision.Duplicate, again);
        Assert.Equal(2, job.Attempt);
    }

    [Theory]
    [InlineData("7", "success")]
    [InlineData("99", "failure")]
    public void RunCompleted_SuccessOrAnotherRun_Ignored(string runId, string conclusion)
    {
        var job = Claimed();

        Assert.Equal(JobActionOutcome.Ignored, JobCallbacks.RunCompleted(job, runId, conclusion, "d", Options, T0).Outcome);
        Assert.Equal(JobStatus.Provisioning, job.Status);
    }

    private static JobState Dispatched()
    {
        var job = new JobState();
        JobStateMachine.Create(job, new NewJob("evt_1", "user", "agent", "us-east", "cs_1", T0), admitted: true, T0);
        JobStateMachine.BeginDispatchTry(job, T0);
        JobStateMachine.RecordDispatched(job, 7, "https://api/runs/7", "https://gh/runs/7", T0);
        return job;
    }

    private static JobState Claimed()
    {
        var job = Dispatched();
        JobCallbacks.Apply(job, Callback(CallbackEvent.Claim), Options, T0);
        return job;
    }

    private static WorkflowCallback Callback(
        CallbackEvent callbackEvent, int attempt = 1, string runId = "7", string? runUrl = null,
        string? message = null, bool retryable = false, string? output = null) =>
        new($"msg_{Guid.NewGuid():N}", callbackEvent, attempt, runId, 1, runUrl, message, retryable, output);
}
