using Provisioning.Grains.Dispatch;
using Provisioning.Jobs;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// When a job's durable reminder and its dispatch timer must wake it, and why. Pure, like <see cref="JobStateMachine"/>:
/// it decides from the state and the clock; the grain registers, keeps or forgets the reminder and starts the timer.
/// The reminder ticks every <see cref="ReminderPeriod"/> while a dispatch or a slot release is owed; while a run is only
/// watched, its next tick is put off to the run's claim or heartbeat deadline, so a job waiting for a runner costs no tick
/// until that deadline passes.
/// </summary>
public readonly record struct JobSchedule(DispatchOptions Dispatch, JobsOptions Jobs)
{
    /// <summary>The moments at which the grain asks what its reminder must do.</summary>
    public enum ReminderRule
    {
        /// <summary>Work is owed: the reminder must wake the job by its run's deadline, or within a period.</summary>
        WakeInTime,

        /// <summary>A dispatch was recorded or a tick ran: as <see cref="WakeInTime"/>, but a run's deadline more than a period away takes the next tick.</summary>
        PutOffToDeadline,

        /// <summary>The job is about to end: a tick within a period, so a crash right after cannot leave its user's slot taken.</summary>
        WakeForSlotRelease,

        /// <summary>A step is done: the reminder goes once nothing is owed.</summary>
        ForgetWhenNothingOwed,
    }

    /// <summary>What the grain does with its reminder.</summary>
    public enum ReminderAction
    {
        Keep,
        Write,
        Forget,
    }

    /// <summary>
    /// What to do with the reminder, and why: a write registers it with its first tick <see cref="Due"/> from now. Once it is
    /// done, the reminder ticks next by <see cref="TicksBy"/> (null: not known, or no reminder).
    /// </summary>
    public readonly record struct ReminderDecision(ReminderAction Action, TimeSpan Due, TimeSpan Period, DateTimeOffset? TicksBy, string Why);

    /// <summary>What a failed dispatch request leads to: the next request <see cref="At"/> a time, or none and the attempt fails for <see cref="Why"/>.</summary>
    public readonly record struct DispatchRetry(DateTimeOffset? At, string Error, string Why);

    /// <summary>How often the reminder ticks while a dispatch or a slot release is owed.</summary>
    public TimeSpan ReminderPeriod => Dispatch.ReminderPeriod;

    /// <summary>A live job owes its dispatch or the watchdog's checks; an ended one owes its user's slot until it is free.</summary>
    public static bool OwesWork(JobState job) =>
        job.SlotReleasePending || job.Status is JobStatus.Queued or JobStatus.Dispatched or JobStatus.Provisioning;

    /// <summary>How long the next dispatch request waits: until <see cref="JobState.NextDispatchAt"/>, or not at all.</summary>
    public static TimeSpan DispatchWait(JobState job, DateTimeOffset now) =>
        job.NextDispatchAt is { } at && at > now ? at - now : TimeSpan.Zero;

    /// <summary>When the watchdog must look at the run next (<see cref="JobCallbacks.WatchDeadline"/>); null while other work is owed.</summary>
    public DateTimeOffset? WatchDeadline(JobState job) => job.SlotReleasePending ? null : JobCallbacks.WatchDeadline(job, Jobs);

    /// <summary>
    /// When the request after <paramref name="failed"/> goes: after a jittered backoff (<paramref name="unitRandom"/> in [0, 1))
    /// for a transient error, once a rate limit lifts; never after a permanent error or the attempt's last request.
    /// </summary>
    public DispatchRetry AfterFailedDispatch(JobState job, DispatchOutcome failed, double unitRandom, DateTimeOffset now)
    {
        (string Error, DateTimeOffset? At, string Why) next = failed switch
        {
            DispatchOutcome.Permanent permanent => (permanent.Error, null, $"dispatch failed: {permanent.Error}"),
            DispatchOutcome.Transient transient =>
                (transient.Error, now + DispatchBackoff.Delay(job.DispatchTries, Dispatch, unitRandom), "a transient error: retried after a backoff"),
            DispatchOutcome.RateLimited limited =>
                (limited.Error, limited.NotBefore > now ? limited.NotBefore : now, "rate limited: retried once the limit lifts"),
            _ => throw new ArgumentException("only a failed dispatch request is retried", nameof(failed)),
        };
        return next.At is null || job.DispatchTries < Dispatch.MaxTries
            ? new(next.At, next.Error, next.Why)
            : new(null, next.Error, $"dispatch failed after {job.DispatchTries} requests; last error: {next.Error}");
    }

    /// <summary>
    /// What the reminder must do under <paramref name="rule"/>, given when the registered reminder ticks next
    /// (<paramref name="ticksBy"/>; null when this activation does not know).
    /// </summary>
    public ReminderDecision Reminder(ReminderRule rule, JobState job, DateTimeOffset? ticksBy, DateTimeOffset now) => rule switch
    {
        ReminderRule.WakeInTime => OwesWork(job) ? InTime(job, ticksBy, now) : Keep(ticksBy, "nothing is owed"),
        ReminderRule.PutOffToDeadline => OwesWork(job) ? PutOff(job, ticksBy, now) : Keep(ticksBy, "nothing is owed"),
        ReminderRule.WakeForSlotRelease => ticksBy is { } next && next <= now + ReminderPeriod
            ? Keep(ticksBy, "the registered reminder ticks within a period")
            : Write(ReminderPeriod, now, "the job ends: freeing its user's slot needs a tick within a period"),
        ReminderRule.ForgetWhenNothingOwed => OwesWork(job)
            ? Keep(ticksBy, "work is still owed")
            : new(ReminderAction.Forget, TimeSpan.Zero, TimeSpan.Zero, null, "nothing is owed"),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "no such reminder rule"),
    };

    /// <summary>Rewrites the reminder only when it would wake the job after the run's deadline, or later than a period from now.</summary>
    private ReminderDecision InTime(JobState job, DateTimeOffset? ticksBy, DateTimeOffset now)
    {
        if (ticksBy is { } next && next <= (WatchDeadline(job) ?? now + ReminderPeriod))
        {
            return Keep(ticksBy, "the registered reminder wakes the job in time");
        }

        return DistantDeadline(job, now) is { } deadline
            ? Write(deadline - now, now, $"the run's {DeadlineName(job)} deadline is more than a period away")
            : Write(ReminderPeriod, now, "owed work needs a tick within a period");
    }

    private ReminderDecision PutOff(JobState job, DateTimeOffset? ticksBy, DateTimeOffset now) =>
        DistantDeadline(job, now) is { } deadline
            ? Write(deadline - now, now, $"put off to the run's {DeadlineName(job)} deadline")
            : InTime(job, ticksBy, now);

    /// <summary>The watched run's deadline when it is more than a period away; null otherwise.</summary>
    private DateTimeOffset? DistantDeadline(JobState job, DateTimeOffset now) =>
        WatchDeadline(job) is { } deadline && deadline - now > ReminderPeriod ? deadline : null;

    private static string DeadlineName(JobState job) => job.Status == JobStatus.Dispatched ? "claim" : "heartbeat";

    private ReminderDecision Write(TimeSpan due, DateTimeOffset now, string why) => new(ReminderAction.Write, due, ReminderPeriod, now + due, why);

    private static ReminderDecision Keep(DateTimeOffset? ticksBy, string why) => new(ReminderAction.Keep, TimeSpan.Zero, TimeSpan.Zero, ticksBy, why);
}
