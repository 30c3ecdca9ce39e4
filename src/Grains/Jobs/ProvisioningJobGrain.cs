using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Grains.Dispatch;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Users;
using ReminderRule = Provisioning.Grains.Jobs.JobSchedule.ReminderRule;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// One paid checkout's provisioning job (key: the Stripe event id), step by step: created or promoted through its user's
/// slot, dispatched off the caller's path, followed through its run's callbacks and the watchdog, ended with its user's slot
/// freed. Whatever it still owes is kept durable by a reminder registered before the work starts, when <see cref="JobSchedule"/>
/// says; a grain timer does the short waits of a live activation. ProvisioningJobGrain.Durability.cs holds how a step is made
/// durable. It is placed on the silo that processes the Stripe event creating it (prefer-local), so a checkout's processing
/// crosses no silo boundary between the inbox and the job.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class ProvisioningJobGrain(
    [PersistentState("job", ProvisioningStorage.Name)] IPersistentState<JobState> state,
    IJobReadModel readModel,
    IWorkflowDispatcher dispatcher,
    IOptions<DispatchOptions> dispatchOptions,
    IOptions<JobsOptions> jobsOptions,
    TimeProvider time,
    JobTelemetry telemetry,
    ILogger<ProvisioningJobGrain> logger) : Grain, IProvisioningJobGrain, IRemindable
{
    private IGrainTimer? _dispatchTimer;
    private ActivityContext _dispatchOrigin;

    private string JobId => this.GetPrimaryKeyString();

    private JobState Job => state.State;

    private JobSchedule Schedule => new(dispatchOptions.Value, jobsOptions.Value);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _recordedTransitions = Job.History.Count;
        if (!Job.Created)
        {
            return;
        }

        _dispatchOrigin = JobTelemetry.Origin(Job.DispatchTraceParent);
        await RepairProjectionAsync();
        await RearmReminderAsync();
        ScheduleDispatch();
    }

    public async Task<JobSnapshot> CreateAsync(NewJob job)
    {
        if (job.JobId != JobId)
        {
            throw new ArgumentException($"Job id {job.JobId} does not match the grain key {JobId}.", nameof(job));
        }

        FollowCaller();
        if (!Job.Created)
        {
            var admission = await GrainFactory.GetGrain<IUserGrain>(job.UserId).AdmitAsync(JobId);
            JobStateMachine.Create(Job, job, admission.Admitted, time.GetUtcNow());
            await SaveQueuedAsync();
            JobLog.LogCreated(logger, JobId, job.UserId, Job.Status);
        }
        else if (_projectedVersion < Job.Version)
        {
            await ProjectAsync();
        }

        await EnsureOwedWorkIsDurableAsync();
        return Job.ToSnapshot(JobId);
    }

    public Task<JobSnapshot?> GetAsync() => Task.FromResult(Job.Created ? Job.ToSnapshot(JobId) : null);

    public async Task StartAsync()
    {
        if (!Job.Created)
        {
            return; // Not created yet: its creation asks the user's slot again and is admitted then.
        }

        FollowCaller();
        if (JobStateMachine.TryMove(Job, JobStatus.Queued, JobActor.System, "the user's previous job ended", time.GetUtcNow()))
        {
            await SaveQueuedAsync();
            JobLog.LogPromoted(logger, JobId, Job.UserId);
        }

        await EnsureOwedWorkIsDurableAsync();
        await GrainFactory.GetGrain<IUserGrain>(Job.UserId).ConfirmStartedAsync(JobId);
    }

    public async Task<JobActionResult> CancelAsync(JobActor actor, string reason, string? actorName = null)
    {
        if (!Job.Created)
        {
            return NotFound();
        }

        if (JobStateMachine.WhyNotCancel(Job) is { } refusal)
        {
            return Result(JobActionOutcome.Conflict, refusal);
        }

        await EndAsync(() => JobStateMachine.TryMove(Job, JobStatus.Cancelled, actor, reason, time.GetUtcNow(), actorName));
        return Result(JobActionOutcome.Done);
    }

    public async Task<JobActionResult> RetryAsync(string actorName, string reason)
    {
        if (!Job.Created)
        {
            return NotFound();
        }

        if (JobStateMachine.WhyNotRetry(Job) is { } refusal)
        {
            return Result(JobActionOutcome.Conflict, refusal);
        }

        FollowCaller();
        var admission = await GrainFactory.GetGrain<IUserGrain>(Job.UserId).AdmitAsync(JobId);
        JobStateMachine.Retry(Job, admission.Admitted, actorName, reason, time.GetUtcNow());
        await SaveAsync(ReminderRule.WakeInTime);
        await EnsureOwedWorkIsDurableAsync();
        return Result(JobActionOutcome.Done);
    }

    public async Task<JobActionResult> HandleCallbackAsync(WorkflowCallback callback) =>
        Job.Created ? await FollowAsync(JobCallbacks.Apply(Job, callback, jobsOptions.Value, time.GetUtcNow())) : NotFound();

    public async Task<JobActionResult> HandleRunCompletedAsync(string runId, string conclusion, string deliveryId) =>
        Job.Created ? await FollowAsync(JobCallbacks.RunCompleted(Job, runId, conclusion, deliveryId, jobsOptions.Value, time.GetUtcNow())) : NotFound();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Ticks can be missed or repeated: each one does only what the durable state says is still owed.
        ReminderTicked();
        await ProjectIfBehindAsync();
        await DispatchIfDueAsync();
        if (JobCallbacks.Watch(Job, jobsOptions.Value, time.GetUtcNow()) is { } stalled)
        {
            JobLog.LogStalled(logger, JobId, Job.History[^1].Reason);
            await ApplyEffectAsync(stalled);
        }

        if (Job.SlotReleasePending)
        {
            await ReleaseSlotAsync();
        }

        await ScheduleReminderAsync(ReminderRule.PutOffToDeadline);
        await ScheduleReminderAsync(ReminderRule.ForgetWhenNothingOwed);
    }

    /// <summary>Does what a callback or run event decided, then answers it.</summary>
    private async Task<JobActionResult> FollowAsync(JobCallbacks.Decision decision)
    {
        await ApplyEffectAsync(decision.Effect);
        await ProjectIfBehindAsync();
        return Result(decision.Outcome, decision.Reason);
    }

    /// <summary>Persists what a callback, run event or the watchdog changed, and does what follows from it.</summary>
    private async Task ApplyEffectAsync(JobCallbacks.Effect effect)
    {
        switch (effect)
        {
            case JobCallbacks.Effect.Saved:
                // A claim brings the heartbeat deadline, which may come before the claim deadline the reminder waits for.
                await SaveAsync(ReminderRule.WakeInTime);
                break;
            case JobCallbacks.Effect.NewAttempt:
                FollowCaller();
                _dispatchTimer?.Dispose();
                await SaveAsync(ReminderRule.WakeInTime);
                await EnsureOwedWorkIsDurableAsync();
                break;
            case JobCallbacks.Effect.Ended:
                await EndAsync(() => true);
                break;
        }
    }

    private JobActionResult Result(JobActionOutcome outcome, string? reason = null) => new(outcome, Job.ToSnapshot(JobId), reason);

    private static JobActionResult NotFound() => new(JobActionOutcome.NotFound, null, "no job has this id");

    /// <summary>Runs a queued job's next dispatch request off the caller's path, when it is due.</summary>
    private void ScheduleDispatch()
    {
        if (Job.Status != JobStatus.Queued)
        {
            return;
        }

        var due = JobSchedule.DispatchWait(Job, time.GetUtcNow());
        _dispatchTimer?.Dispose();
        _dispatchTimer = this.RegisterGrainTimer(
            static (grain, cancellationToken) => grain.DispatchIfDueAsync(),
            this,
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task DispatchIfDueAsync()
    {
        var now = time.GetUtcNow();
        if (Job.Status != JobStatus.Queued)
        {
            return;
        }

        if (JobSchedule.DispatchWait(Job, now) > TimeSpan.Zero)
        {
            ScheduleDispatch();
            return;
        }

        await CountDispatchTryAsync(now);
        var request = new DispatchRequest(JobId, Job.AgentId, Job.Region, Job.Attempt);
        using var span = JobTelemetry.StartDispatch(JobId, Job.Attempt, Job.DispatchTries, _dispatchOrigin);
        var outcome = await dispatcher.DispatchAsync(request, CancellationToken.None);
        telemetry.Dispatched(span, outcome);
        await RecordAsync(outcome);
    }

    private async Task RecordAsync(DispatchOutcome outcome)
    {
        var now = time.GetUtcNow();
        if (outcome is DispatchOutcome.Dispatched run)
        {
            JobStateMachine.RecordDispatched(Job, run.RunId, run.RunApiUrl, run.RunHtmlUrl, now);
            await SaveAsync(ReminderRule.PutOffToDeadline);
            JobLog.LogDispatched(logger, JobId, Job.Attempt, Job.DispatchTries, Job.RunId);
            await ScheduleReminderAsync(ReminderRule.ForgetWhenNothingOwed);
            return;
        }

        var retry = Schedule.AfterFailedDispatch(Job, outcome, Random.Shared.NextDouble(), now);
        if (retry.At is not { } at)
        {
            JobLog.LogDispatchFailed(logger, JobId, Job.Attempt, Job.DispatchTries, retry.Error);
            await EndAsync(() => JobStateMachine.Fail(Job, JobActor.System, retry.Why, now));
            return;
        }

        JobStateMachine.RecordDispatchRetry(Job, retry.Error, at, now, outcome is DispatchOutcome.RateLimited);
        JobLog.LogDispatchRetry(logger, JobId, Job.Attempt, Job.DispatchTries, Job.LastError, Job.NextDispatchAt);
        await SaveAsync();
        ScheduleDispatch();
    }

    /// <summary>Moves to a terminal status (if <paramref name="move"/> allows it) and frees the user's slot, durably.</summary>
    private async Task EndAsync(Func<bool> move)
    {
        if (JobStateMachine.IsTerminal(Job.Status) && !Job.SlotReleasePending)
        {
            return;
        }

        await ScheduleReminderAsync(ReminderRule.WakeForSlotRelease);
        if (move())
        {
            await SaveAsync();
            var last = Job.History[^1];
            JobLog.LogEnded(logger, JobId, last.To, last.Actor, last.Reason);
        }
        else if (_projectedVersion < Job.Version)
        {
            await SaveAsync();
        }

        _dispatchTimer?.Dispose();
        await ReleaseSlotAsync();
        await ScheduleReminderAsync(ReminderRule.ForgetWhenNothingOwed);
    }

    private async Task ReleaseSlotAsync()
    {
        await GrainFactory.GetGrain<IUserGrain>(Job.UserId).ReleaseAsync(JobId);
        Job.SlotReleasePending = false;
        await state.WriteOrReloadAsync(this);
    }

    /// <summary>Remembers the trace of the call that may lead to a dispatch, so that the dispatch, which runs later on a timer, belongs to it.</summary>
    private void FollowCaller()
    {
        if (Activity.Current is { } caller)
        {
            _dispatchOrigin = caller.Context;
            Job.DispatchTraceParent = caller.Id is { } id && caller.IdFormat == ActivityIdFormat.W3C ? id : null;
        }
    }
}
