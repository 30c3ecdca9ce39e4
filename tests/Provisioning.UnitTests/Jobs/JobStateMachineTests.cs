using Provisioning.Grains.Jobs;
using Provisioning.Jobs;

namespace Provisioning.UnitTests.Jobs;

public sealed class JobStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly NewJob Paid = new("evt_1", "user_1", "agent_1", "us-east", "cs_1", Now);

    [Theory]
    [InlineData(true, JobStatus.Queued)]
    [InlineData(false, JobStatus.Waiting)]
    public void Create_ByAdmission_StartsQueuedOrWaitingWithOneHistoryEntry(bool admitted, JobStatus expected)
    {
        var state = new JobState();

        JobStateMachine.Create(state, Paid, admitted, Now);

        Assert.Equal(expected, state.Status);
        var entry = Assert.Single(state.History);
        Assert.Null(entry.From);
        Assert.Equal(expected, entry.To);
        Assert.Equal(JobActor.Stripe, entry.Actor);
        Assert.Contains("cs_1", entry.Reason);
        Assert.Equal(1, state.Version);
        Assert.Equal("evt_1", state.StripeEventId);
    }

    [Fact]
    public void Create_Twice_Throws()
    {
        var state = new JobState();
        JobStateMachine.Create(state, Paid, true, Now);

        Assert.Throws<InvalidOperationException>(() => JobStateMachine.Create(state, Paid, true, Now));
    }

    [Theory]
    [InlineData(JobStatus.Waiting, JobStatus.Queued, true)]
    [InlineData(JobStatus.Waiting, JobStatus.Dispatched, false)]
    [InlineData(JobStatus.Queued, JobStatus.Dispatched, true)]
    [InlineData(JobStatus.Queued, JobStatus.Provisioning, true)]
    [InlineData(JobStatus.Waiting, JobStatus.Provisioning, false)]
    [InlineData(JobStatus.Dispatched, JobStatus.Provisioning, true)]
    [InlineData(JobStatus.Provisioning, JobStatus.Succeeded, true)]
    [InlineData(JobStatus.Dispatched, JobStatus.Succeeded, false)]
    [InlineData(JobStatus.Succeeded, JobStatus.Queued, false)]
    [InlineData(JobStatus.Succeeded, JobStatus.Cancelled, false)]
    [InlineData(JobStatus.Failed, JobStatus.Queued, true)]
    [InlineData(JobStatus.Cancelled, JobStatus.Waiting, true)]
    [InlineData(JobStatus.Failed, JobStatus.Cancelled, false)]
    public void CanMove_FromTo_FollowsTheDesign(JobStatus from, JobStatus to, bool allowed) =>
        Assert.Equal(allowed, JobStateMachine.CanMove(from, to));

    [Theory]
    [InlineData(JobStatus.Waiting)]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Dispatched)]
    [InlineData(JobStatus.Provisioning)]
    public void CanMove_AnyNonTerminalToCancelled_IsAllowed(JobStatus from) =>
        Assert.True(JobStateMachine.CanMove(from, JobStatus.Cancelled));

    [Fact]
    public void TryMove_Allowed_AppendsHistoryBumpsVersionAndOwesSlotReleaseWhenTerminal()
    {
        var state = new JobState();
        JobStateMachine.Create(state, Paid, false, Now);

        Assert.True(JobStateMachine.TryMove(state, JobStatus.Queued, JobActor.System, "slot free", Now.AddMinutes(1)));
        Assert.False(state.SlotReleasePending);
        Assert.True(JobStateMachine.TryMove(state, JobStatus.Cancelled, JobActor.Operator, "customer asked", Now.AddMinutes(2)));

        Assert.Equal(JobStatus.Cancelled, state.Status);
        Assert.True(state.SlotReleasePending);
        Assert.Equal(3, state.Version);
        Assert.Equal(Now.AddMinutes(2), state.UpdatedAt);
        var last = state.History[^1];
        Assert.Equal((JobStatus?)JobStatus.Queued, last.From);
        Assert.Equal(JobStatus.Cancelled, last.To);
        Assert.Equal(JobActor.Operator, last.Actor);
        Assert.Equal("customer asked", last.Reason);
    }

    [Fact]
    public void TryMove_NotAllowed_ChangesNothing()
    {
        var state = new JobState();
        JobStateMachine.Create(state, Paid, true, Now);

        Assert.False(JobStateMachine.TryMove(state, JobStatus.Succeeded, JobActor.Github, "too early", Now));

        Assert.Equal(JobStatus.Queued, state.Status);
        Assert.Single(state.History);
        Assert.Equal(1, state.Version);
    }

    [Fact]
    public void WhyNotCancel_LiveThenEnded_RefusesOnlyTheEndedJob()
    {
        var state = new JobState();
        JobStateMachine.Create(state, Paid, true, Now);
        Assert.Null(JobStateMachine.WhyNotCancel(state));

        JobStateMachine.TryMove(state, JobStatus.Cancelled, JobActor.Operator, "customer asked", Now);

        Assert.Equal("the job is already cancelled", JobStateMachine.WhyNotCancel(state));
    }

    [Theory]
    [InlineData(JobStatus.Waiting)]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Dispatched)]
    [InlineData(JobStatus.Provisioning)]
    [InlineData(JobStatus.Succeeded)]
    public void WhyNotRetry_NeitherFailedNorCancelled_Refuses(JobStatus status) =>
        Assert.Equal(
            $"only a failed or cancelled job can be retried; this one is {status.ToString().ToLowerInvariant()}",
            JobStateMachine.WhyNotRetry(new JobState { Status = status }));

    [Theory]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Cancelled)]
    public void WhyNotRetry_EndedWhileItsSlotIsBeingFreed_RefusesUntilItIsFree(JobStatus status)
    {
        var state = new JobState { Status = status, SlotReleasePending = true };
        Assert.Equal("the job is still freeing its user's slot; retry in a moment", JobStateMachine.WhyNotRetry(state));

        state.SlotReleasePending = false;

        Assert.Null(JobStateMachine.WhyNotRetry(state));
    }

    [Theory]
    [InlineData(true, JobStatus.Queued, 2, "try again")]
    [InlineData(false, JobStatus.Waiting, 1, "try again; user user_1 has a job in progress")]
    public void Retry_ByAdmission_QueuedAsANewAttemptOrWaitingByTheOperator(bool admitted, JobStatus expected, int attempt, string reason)
    {
        var state = new JobState();
        JobStateMachine.Create(state, Paid, true, Now);
        JobStateMachine.Fail(state, JobActor.System, "dispatch failed", Now);

        Assert.True(JobStateMachine.Retry(state, admitted, "alice", "try again", Now.AddMinutes(1)));

        Assert.Equal((expected, attempt), (state.Status, state.Attempt));
        var last = state.History[^1];
        Assert.Equal(((JobStatus?)JobStatus.Failed, JobActor.Operator, "alice", reason), (last.From, last.Actor, last.ActorName, last.Reason));
    }

    [Fact]
    public void TryMove_BeforeCreation_ChangesNothing()
    {
        var state = new JobState();

        Assert.False(JobStateMachine.TryMove(state, JobStatus.Queued, JobActor.System, "slot free", Now));
        Assert.Empty(state.History);
    }
}
