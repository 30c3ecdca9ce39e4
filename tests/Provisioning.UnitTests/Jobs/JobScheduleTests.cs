using Provisioning.Grains.Dispatch;
using Provisioning.Grains.Jobs;
using Provisioning.Jobs;
using static Provisioning.Grains.Jobs.JobSchedule;

namespace Provisioning.UnitTests.Jobs;

public sealed class JobScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private static readonly JobsOptions Options = new() { ClaimTimeout = TimeSpan.FromMinutes(15), HeartbeatTimeout = TimeSpan.FromMinutes(5) };
    private static readonly DispatchOptions Dispatch = new()
    {
        ReminderPeriod = Period, MaxTries = 3, BaseDelay = TimeSpan.FromSeconds(4), Multiplier = 2, MaxDelay = TimeSpan.FromMinutes(10),
    };

    private static readonly JobSchedule Schedule = new(Dispatch, Options);

    [Theory]
    [InlineData(JobStatus.Waiting, false)]
    [InlineData(JobStatus.Queued, true)]
    [InlineData(JobStatus.Dispatched, true)]
    [InlineData(JobStatus.Provisioning, true)]
    [InlineData(JobStatus.Succeeded, false)]
    [InlineData(JobStatus.Failed, false)]
    [InlineData(JobStatus.Cancelled, false)]
    public void OwesWork_ByStatus_OnlyWhileTheJobIsLive(JobStatus status, bool owes) =>
        Assert.Equal(owes, OwesWork(new JobState { Status = status }));

    [Fact]
    public void OwesWork_EndedWithItsSlotNotFreed_True() => Assert.True(OwesWork(Ended()));

    [Fact]
    public void DispatchWait_NotBeforeLater_WaitsUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(30), DispatchWait(new JobState { NextDispatchAt = T0.AddSeconds(30) }, T0));

    [Theory]
    [InlineData(0)]
    [InlineData(-30)]
    public void DispatchWait_NotBeforeNowOrPast_Zero(int secondsFromNow) =>
        Assert.Equal(TimeSpan.Zero, DispatchWait(new JobState { NextDispatchAt = T0.AddSeconds(secondsFromNow) }, T0));

    [Fact]
    public void DispatchWait_NotBeforeUnset_Zero() => Assert.Equal(TimeSpan.Zero, DispatchWait(new JobState(), T0));

    [Fact]
    public void WatchDeadline_Dispatched_IsTheDispatchPlusTheClaimTimeout() =>
        Assert.Equal(T0.AddMinutes(15), Schedule.WatchDeadline(Dispatched(T0)));

    [Fact]
    public void WatchDeadline_Provisioning_IsTheLastHeartbeatPlusTheHeartbeatTimeout() =>
        Assert.Equal(T0.AddMinutes(7), Schedule.WatchDeadline(Claimed(T0.AddMinutes(2))));

    [Fact]
    public void WatchDeadline_QueuedOrSlotReleasePending_Null()
    {
        var owesItsSlot = Dispatched(T0);
        owesItsSlot.SlotReleasePending = true;

        Assert.Null(Schedule.WatchDeadline(Queued()));
        Assert.Null(Schedule.WatchDeadline(owesItsSlot));
    }

    [Theory]
    [InlineData(ReminderRule.WakeInTime)]
    [InlineData(ReminderRule.PutOffToDeadline)]
    public void Reminder_NothingOwed_Keeps(ReminderRule rule)
    {
        AssertKeeps(null, Schedule.Reminder(rule, new JobState { Status = JobStatus.Waiting }, null, T0));
        AssertKeeps(T0.AddHours(1), Schedule.Reminder(rule, Freed(), T0.AddHours(1), T0));
    }

    [Fact]
    public void Reminder_WakeInTimeQueuedWithoutAKnownTick_WritesOnePeriod() =>
        AssertWrites(Period, T0, Schedule.Reminder(ReminderRule.WakeInTime, Queued(), null, T0));

    [Theory]
    [InlineData(ReminderRule.WakeInTime)]
    [InlineData(ReminderRule.PutOffToDeadline)]
    public void Reminder_QueuedTickDueWithinAPeriod_Keeps(ReminderRule rule)
    {
        AssertKeeps(T0 + Period, Schedule.Reminder(rule, Queued(), T0 + Period, T0));
        AssertKeeps(T0.AddSeconds(10), Schedule.Reminder(rule, Queued(), T0.AddSeconds(10), T0));
    }

    [Theory]
    [InlineData(ReminderRule.WakeInTime)]
    [InlineData(ReminderRule.PutOffToDeadline)]
    public void Reminder_QueuedTickDueLaterThanAPeriod_WritesOnePeriod(ReminderRule rule) =>
        AssertWrites(Period, T0, Schedule.Reminder(rule, Queued(), T0 + Period + TimeSpan.FromSeconds(1), T0));

    [Fact]
    public void Reminder_WakeInTimeClaimDeadlineMoreThanAPeriodAway_WritesTheDeadline()
    {
        var decision = Schedule.Reminder(ReminderRule.WakeInTime, Dispatched(T0), null, T0.AddMinutes(1));

        AssertWrites(TimeSpan.FromMinutes(14), T0.AddMinutes(1), decision);
        Assert.Contains("claim deadline", decision.Why);
    }

    [Fact]
    public void Reminder_WakeInTimeTickDueBeforeTheDeadline_Keeps() =>
        AssertKeeps(T0.AddMinutes(2), Schedule.Reminder(ReminderRule.WakeInTime, Dispatched(T0), T0.AddMinutes(2), T0.AddMinutes(1)));

    [Fact]
    public void Reminder_WakeInTimeHeartbeatMovesTheDeadlineLater_Keeps()
    {
        var job = Claimed(T0);
        job.LastHeartbeatAt = T0.AddMinutes(1);

        AssertKeeps(T0.AddMinutes(5), Schedule.Reminder(ReminderRule.WakeInTime, job, T0.AddMinutes(5), T0.AddMinutes(1)));
    }

    [Fact]
    public void Reminder_WakeInTimeClaimBringsAnEarlierHeartbeatDeadline_WritesIt()
    {
        var decision = Schedule.Reminder(ReminderRule.WakeInTime, Claimed(T0.AddMinutes(2)), T0.AddMinutes(15), T0.AddMinutes(2));

        AssertWrites(TimeSpan.FromMinutes(5), T0.AddMinutes(2), decision);
        Assert.Contains("heartbeat deadline", decision.Why);
    }

    [Fact]
    public void Reminder_WakeInTimeDeadlineWithinAPeriodAndTickAfterIt_WritesOnePeriod() =>
        AssertWrites(Period, T0.AddMinutes(14.5), Schedule.Reminder(ReminderRule.WakeInTime, Dispatched(T0), T0.AddMinutes(16), T0.AddMinutes(14.5)));

    [Fact]
    public void Reminder_WakeInTimeEndedWithItsSlotNotFreed_WritesOnePeriodUnlessTheTickIsDueWithinIt()
    {
        AssertWrites(Period, T0, Schedule.Reminder(ReminderRule.WakeInTime, Ended(), null, T0));
        AssertKeeps(T0.AddSeconds(30), Schedule.Reminder(ReminderRule.WakeInTime, Ended(), T0.AddSeconds(30), T0));
    }

    [Fact]
    public void Reminder_PutOffToDeadlineClaimDeadlineMoreThanAPeriodAway_WritesTheDeadlineThoughTheTickIsDueSooner()
    {
        var decision = Schedule.Reminder(ReminderRule.PutOffToDeadline, Dispatched(T0), T0 + Period, T0);

        AssertWrites(TimeSpan.FromMinutes(15), T0, decision);
        Assert.Contains("put off to the run's claim deadline", decision.Why);
    }

    [Fact]
    public void Reminder_PutOffToDeadlineHeartbeatDeadlineMoreThanAPeriodAway_WritesIt()
    {
        var decision = Schedule.Reminder(ReminderRule.PutOffToDeadline, Claimed(T0), T0 + Period, T0.AddMinutes(1));

        AssertWrites(TimeSpan.FromMinutes(4), T0.AddMinutes(1), decision);
        Assert.Contains("put off to the run's heartbeat deadline", decision.Why);
    }

    [Fact]
    public void Reminder_PutOffToDeadlineDeadlineWithinAPeriod_KeepsATimelyTickElseWritesOnePeriod()
    {
        var now = T0.AddMinutes(14.5);

        AssertKeeps(T0.AddMinutes(15), Schedule.Reminder(ReminderRule.PutOffToDeadline, Dispatched(T0), T0.AddMinutes(15), now));
        AssertWrites(Period, now, Schedule.Reminder(ReminderRule.PutOffToDeadline, Dispatched(T0), null, now));
    }

    [Fact]
    public void Reminder_WakeForSlotReleaseTickDueWithinAPeriod_Keeps() =>
        AssertKeeps(T0 + Period, Schedule.Reminder(ReminderRule.WakeForSlotRelease, Dispatched(T0), T0 + Period, T0));

    [Theory]
    [InlineData(null)]
    [InlineData(15)]
    public void Reminder_WakeForSlotReleaseTickUnknownOrAtTheRunsDeadline_WritesOnePeriod(int? tickInMinutes) =>
        AssertWrites(Period, T0, Schedule.Reminder(
            ReminderRule.WakeForSlotRelease, Dispatched(T0), tickInMinutes is { } minutes ? T0.AddMinutes(minutes) : null, T0));

    [Fact]
    public void Reminder_WakeForSlotReleaseWaitingJob_WritesOnePeriod() =>
        AssertWrites(Period, T0, Schedule.Reminder(ReminderRule.WakeForSlotRelease, new JobState { Status = JobStatus.Waiting }, null, T0));

    [Fact]
    public void Reminder_ForgetWhenNothingOwedLiveOrSlotNotFreed_Keeps()
    {
        AssertKeeps(T0 + Period, Schedule.Reminder(ReminderRule.ForgetWhenNothingOwed, Dispatched(T0), T0 + Period, T0));
        AssertKeeps(T0 + Period, Schedule.Reminder(ReminderRule.ForgetWhenNothingOwed, Ended(), T0 + Period, T0));
    }

    [Fact]
    public void Reminder_ForgetWhenNothingOwedSlotFreed_Forgets() =>
        Assert.Equal(
            new ReminderDecision(ReminderAction.Forget, TimeSpan.Zero, TimeSpan.Zero, null, "nothing is owed"),
            Schedule.Reminder(ReminderRule.ForgetWhenNothingOwed, Freed(), T0 + Period, T0));

    [Fact]
    public void Reminder_UnknownRule_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Reminder((ReminderRule)99, Queued(), null, T0));

    [Fact]
    public void AfterFailedDispatch_Permanent_FailsWithTheError() =>
        Assert.Equal(
            new DispatchRetry(null, "404 workflow not found", "dispatch failed: 404 workflow not found"),
            Schedule.AfterFailedDispatch(Trying(1), new DispatchOutcome.Permanent("404 workflow not found"), 0.5, T0));

    [Theory]
    [InlineData(1, 0.5, 2)]
    [InlineData(2, 0.5, 4)]
    [InlineData(2, 0.0, 0)]
    public void AfterFailedDispatch_TransientWithRequestsLeft_RetriesAfterTheJitteredBackoff(int tries, double unitRandom, int seconds) =>
        Assert.Equal(
            new DispatchRetry(T0.AddSeconds(seconds), "502", "a transient error: retried after a backoff"),
            Schedule.AfterFailedDispatch(Trying(tries), new DispatchOutcome.Transient("502"), unitRandom, T0));

    [Theory]
    [InlineData(30, 30)]
    [InlineData(-30, 0)]
    public void AfterFailedDispatch_RateLimitedWithRequestsLeft_RetriesOnceTheLimitLiftsAndNotBeforeNow(int liftsInSeconds, int retryInSeconds) =>
        Assert.Equal(
            new DispatchRetry(T0.AddSeconds(retryInSeconds), "429", "rate limited: retried once the limit lifts"),
            Schedule.AfterFailedDispatch(Trying(1), new DispatchOutcome.RateLimited(T0.AddSeconds(liftsInSeconds), "429"), 0.5, T0));

    [Fact]
    public void AfterFailedDispatch_TransientOrRateLimitedOnTheLastRequest_FailsWithTheLastError()
    {
        var failed = new DispatchRetry(null, "502", "dispatch failed after 3 requests; last error: 502");

        Assert.Equal(failed, Schedule.AfterFailedDispatch(Trying(3), new DispatchOutcome.Transient("502"), 0.5, T0));
        Assert.Equal(failed, Schedule.AfterFailedDispatch(Trying(3), new DispatchOutcome.RateLimited(T0.AddSeconds(30), "502"), 0.5, T0));
    }

    [Fact]
    public void AfterFailedDispatch_Dispatched_Throws() =>
        Assert.Throws<ArgumentException>(() => Schedule.AfterFailedDispatch(Trying(1), new DispatchOutcome.Dispatched(7, null, null), 0.5, T0));

    private static void AssertKeeps(DateTimeOffset? ticksBy, ReminderDecision decision) =>
        Assert.Equal((ReminderAction.Keep, ticksBy), (decision.Action, decision.TicksBy));

    private static void AssertWrites(TimeSpan due, DateTimeOffset now, ReminderDecision decision) =>
        Assert.Equal((ReminderAction.Write, due, Period, (DateTimeOffset?)(now + due)), (decision.Action, decision.Due, decision.Period, decision.TicksBy));

    private static JobState Queued()
    {
        var job = new JobState();
        JobStateMachine.Create(job, new NewJob("evt_1", "user", "agent", "us-east", "cs_1", T0), admitted: true, T0);
        return job;
    }

    private static JobState Trying(int tries)
    {
        var job = Queued();
        job.DispatchTries = tries;
        return job;
    }

    private static JobState Dispatched(DateTimeOffset at)
    {
        var job = Queued();
        JobStateMachine.BeginDispatchTry(job, at);
        JobStateMachine.RecordDispatched(job, 7, "https://api/runs/7", "https://gh/runs/7", at);
        return job;
    }

    private static JobState Claimed(DateTimeOffset at)
    {
        var job = Dispatched(T0);
        JobCallbacks.Apply(job, new WorkflowCallback("msg_claim", CallbackEvent.Claim, 1, "7", 1, null, null, false, null), Options, at);
        return job;
    }

    private static JobState Ended()
    {
        var job = Queued();
        JobStateMachine.TryMove(job, JobStatus.Cancelled, JobActor.Operator, "stop", T0, "alice");
        return job;
    }

    private static JobState Freed()
    {
        var job = Ended();
        job.SlotReleasePending = false;
        return job;
    }
}
