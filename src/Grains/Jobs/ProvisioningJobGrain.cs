using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Grains.Dispatch;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Users;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// One paid checkout's provisioning job (key: the Stripe event id). It persists its state, projects every change into
/// the read model, dispatches the workflow when queued, and frees its user's slot when it ends. Whatever it still owes
/// (a dispatch, a slot release, the watch over its run) is kept durable by a reminder registered before the work starts;
/// a grain timer does the short waits of a live activation. The reminder ticks every <see cref="DispatchOptions.ReminderPeriod"/>
/// while a dispatch or a slot release is owed; once the dispatch is recorded, and while the run is only watched, its next
/// tick is put off to the run's claim or heartbeat deadline, so thousands of dispatched jobs waiting for runners cost
/// nothing until a deadline passes. It is placed on the silo of the event grain that creates it (prefer-local), so
/// ingesting a checkout crosses no silo boundary between the two.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed class ProvisioningJobGrain(
    [PersistentState("job", ProvisioningStorage.Name)] IPersistentState<JobState> state,
    IJobReadModel readModel,
    IWorkflowDispatcher dispatcher,
    IOptions<DispatchOptions> dispatchOptions,
    IOptions<JobsOptions> jobsOptions,
    TimeProvider time,
    JobTelemetry telemetry,
    ILogger<ProvisioningJobGrain> logger) : Grain, IProvisioningJobGrain, IRemindable
{
    private const string OwedWorkReminder = "owed-work";
    private long _projectedVersion = -1;
    private DateTimeOffset? _reminderTicksBy;
    private int? _firstRequestCountedForAttempt;
    private IGrainTimer? _dispatchTimer;
    private int _recordedTransitions;
    private ActivityContext _dispatchOrigin;

    private string JobId => this.GetPrimaryKeyString();

    private JobState Job => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _recordedTransitions = Job.History.Count;
        if (!Job.Created)
        {
            return;
        }

        if (Job.DispatchTraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var origin))
        {
            _dispatchOrigin = origin;
        }

        // Repair a projection that fell behind (a crash between the state write and the projection).
        try
        {
            await ProjectAsync();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            JobLog.LogProjectionDeferred(logger, JobId, ex.Message);
        }

        if (Job.Status == JobStatus.Queued)
        {
            ScheduleDispatch();
        }
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

        if (JobStateMachine.IsTerminal(Job.Status))
        {
            return Result(JobActionOutcome.Conflict, $"the job is already {Job.Status.ToString().ToLowerInvariant()}");
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

        if (Job.Status is not (JobStatus.Failed or JobStatus.Cancelled))
        {
            return Result(JobActionOutcome.Conflict, $"only a failed or cancelled job can be retried; this one is {Job.Status.ToString().ToLowerInvariant()}");
        }

        if (Job.SlotReleasePending)
        {
            return Result(JobActionOutcome.Conflict, "the job is still freeing its user's slot; retry in a moment");
        }

        FollowCaller();
        var admission = await GrainFactory.GetGrain<IUserGrain>(Job.UserId).AdmitAsync(JobId);
        var to = admission.Admitted ? JobStatus.Queued : JobStatus.Waiting;
        var why = admission.Admitted ? reason : $"{reason}; user {Job.UserId} has a job in progress";
        JobStateMachine.TryMove(Job, to, JobActor.Operator, why, time.GetUtcNow(), actorName);
        await SaveAsync(registerOwedReminder: true);
        await EnsureOwedWorkIsDurableAsync();
        return Result(JobActionOutcome.Done);
    }

    public async Task<JobActionResult> HandleCallbackAsync(WorkflowCallback callback)
    {
        if (!Job.Created)
        {
            return NotFound();
        }

        var (outcome, reason, effect) = JobCallbacks.Apply(Job, callback, jobsOptions.Value, time.GetUtcNow());
        await ApplyEffectAsync(effect);
        return Result(outcome, reason);
    }

    public async Task<JobActionResult> HandleRunCompletedAsync(string runId, string conclusion, string deliveryId)
    {
        if (!Job.Created)
        {
            return NotFound();
        }

        var (outcome, reason, effect) = JobCallbacks.RunCompleted(Job, runId, conclusion, deliveryId, jobsOptions.Value, time.GetUtcNow());
        await ApplyEffectAsync(effect);
        return Result(outcome, reason);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Ticks can be missed or repeated: each one does only what the durable state says is still owed. Whatever this
        // reminder was registered as, it now ticks every period.
        _reminderTicksBy = time.GetUtcNow() + dispatchOptions.Value.ReminderPeriod;
        if (Job.Status == JobStatus.Queued)
        {
            await DispatchIfDueAsync();
        }

        if (JobCallbacks.Watch(Job, jobsOptions.Value, time.GetUtcNow()) is { } stalled)
        {
            JobLog.LogStalled(logger, JobId, Job.History[^1].Reason);
            await ApplyEffectAsync(stalled);
        }

        if (Job.SlotReleasePending)
        {
            await ReleaseSlotAsync();
        }

        if (!OwesWork())
        {
            await ForgetReminderAsync();
        }
        else
        {
            await EnsureReminderAsync(putOffToDeadline: true);
        }
    }

    /// <summary>Persists what a callback, run event or the watchdog changed, and does what follows from it.</summary>
    private async Task ApplyEffectAsync(JobCallbacks.Effect effect)
    {
        switch (effect)
        {
            case JobCallbacks.Effect.Saved:
                // A claim brings the heartbeat deadline, which may come before the claim deadline the reminder waits for.
                await SaveAsync(registerOwedReminder: true);
                break;
            case JobCallbacks.Effect.NewAttempt:
                FollowCaller();
                _dispatchTimer?.Dispose();
                await SaveAsync(registerOwedReminder: true);
                await EnsureOwedWorkIsDurableAsync();
                break;
            case JobCallbacks.Effect.Ended:
                await EndAsync(() => true);
                break;
        }
    }

    private JobActionResult Result(JobActionOutcome outcome, string? reason = null) => new(outcome, Job.ToSnapshot(JobId), reason);

    private static JobActionResult NotFound() => new(JobActionOutcome.NotFound, null, "no job has this id");

    /// <summary>Registers the reminder before any owed work starts, then starts what is due now.</summary>
    private async Task EnsureOwedWorkIsDurableAsync()
    {
        if (!OwesWork())
        {
            return;
        }

        await EnsureReminderAsync();
        if (Job.Status == JobStatus.Queued)
        {
            ScheduleDispatch();
        }
    }

    /// <summary>
    /// Makes sure the reminder wakes the job by the time its owed work needs it: within a period while a dispatch or a slot
    /// release is owed (or, with <paramref name="slotRelease"/>, about to be), by the deadline while a run is watched. Writes
    /// only when the registered reminder would wake it too late; with <paramref name="putOffToDeadline"/> (after a tick), it
    /// also puts the next tick off to a watch deadline more than a period away.
    /// </summary>
    private async Task EnsureReminderAsync(bool slotRelease = false, bool putOffToDeadline = false)
    {
        var now = time.GetUtcNow();
        var period = dispatchOptions.Value.ReminderPeriod;
        var deadline = slotRelease ? null : WatchDeadline();
        var putOff = deadline is { } at && at - now > period;
        if (_reminderTicksBy is { } ticksBy && ticksBy <= (deadline ?? now + period) && !(putOffToDeadline && putOff))
        {
            return;
        }

        var due = putOff ? deadline!.Value - now : period;
        await this.RegisterOrUpdateReminder(OwedWorkReminder, due, period);
        _reminderTicksBy = now + due;
    }

    /// <summary>When the watchdog must look at the run next (<see cref="JobCallbacks.WatchDeadline"/>); null while other work is owed.</summary>
    private DateTimeOffset? WatchDeadline() => Job.SlotReleasePending ? null : JobCallbacks.WatchDeadline(Job, jobsOptions.Value);

    /// <summary>Runs the next dispatch request off the caller's path, when it is due.</summary>
    private void ScheduleDispatch()
    {
        var due = Job.NextDispatchAt is { } at ? at - time.GetUtcNow() : TimeSpan.Zero;
        _dispatchTimer?.Dispose();
        _dispatchTimer = this.RegisterGrainTimer(
            static (grain, cancellationToken) => grain.DispatchIfDueAsync(),
            this,
            new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task DispatchIfDueAsync()
    {
        var now = time.GetUtcNow();
        if (Job.Status != JobStatus.Queued)
        {
            return;
        }

        if (Job.NextDispatchAt is { } notBefore && notBefore > now)
        {
            ScheduleDispatch();
            return;
        }

        if (_firstRequestCountedForAttempt == Job.Attempt)
        {
            _firstRequestCountedForAttempt = null;
        }
        else
        {
            JobStateMachine.BeginDispatchTry(Job, now);
            await state.WriteOrReloadAsync(this);
        }

        var request = new DispatchRequest(JobId, Job.AgentId, Job.Region, Job.Attempt);
        using var span = JobTelemetry.StartDispatch(JobId, Job.Attempt, Job.DispatchTries, _dispatchOrigin);
        var outcome = await dispatcher.DispatchAsync(request, CancellationToken.None);
        telemetry.Dispatched(span, outcome);
        await RecordAsync(outcome);
    }

    private async Task RecordAsync(DispatchOutcome outcome)
    {
        var now = time.GetUtcNow();
        var options = dispatchOptions.Value;
        switch (outcome)
        {
            case DispatchOutcome.Dispatched run:
                JobStateMachine.RecordDispatched(Job, run.RunId, run.RunApiUrl, run.RunHtmlUrl, now);
                await SaveAsync(registerOwedReminder: true, putOffReminder: true);
                JobLog.LogDispatched(logger, JobId, Job.Attempt, Job.DispatchTries, Job.RunId);
                if (!OwesWork())
                {
                    await ForgetReminderAsync();
                }

                return;

            case DispatchOutcome.Permanent permanent:
                JobLog.LogDispatchFailed(logger, JobId, Job.Attempt, Job.DispatchTries, permanent.Error);
                await EndAsync(() => JobStateMachine.Fail(Job, JobActor.System, $"dispatch failed: {permanent.Error}", now));
                return;

            case DispatchOutcome.Transient or DispatchOutcome.RateLimited when Job.DispatchTries >= options.MaxTries:
                var lastError = outcome is DispatchOutcome.Transient t ? t.Error : ((DispatchOutcome.RateLimited)outcome).Error;
                JobLog.LogDispatchFailed(logger, JobId, Job.Attempt, Job.DispatchTries, lastError);
                await EndAsync(() => JobStateMachine.Fail(Job, JobActor.System,
                    $"dispatch failed after {Job.DispatchTries} requests; last error: {lastError}", now));
                return;

            case DispatchOutcome.Transient transient:
                var backoff = DispatchBackoff.Delay(Job.DispatchTries, options, Random.Shared.NextDouble());
                JobStateMachine.RecordDispatchRetry(Job, transient.Error, now + backoff, now);
                break;

            case DispatchOutcome.RateLimited limited:
                JobStateMachine.RecordDispatchRetry(Job, limited.Error, limited.NotBefore > now ? limited.NotBefore : now, now);
                break;
        }

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

        // The reminder is due within a period before the job ends, so a crash right after cannot leave the user's slot taken.
        await EnsureReminderAsync(slotRelease: true);

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
        if (!OwesWork())
        {
            await ForgetReminderAsync();
        }
    }

    private async Task ReleaseSlotAsync()
    {
        await GrainFactory.GetGrain<IUserGrain>(Job.UserId).ReleaseAsync(JobId);
        Job.SlotReleasePending = false;
        await state.WriteOrReloadAsync(this);
    }

    /// <summary>A live job owes its dispatch or the watchdog's checks; an ended one owes its user's slot until it is free.</summary>
    private bool OwesWork() =>
        Job.SlotReleasePending || Job.Status is JobStatus.Queued or JobStatus.Dispatched or JobStatus.Provisioning;

    private async Task ForgetReminderAsync()
    {
        var reminder = await this.GetReminder(OwedWorkReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderTicksBy = null;
    }

    /// <summary>
    /// Persists a job that was just created or promoted, with its reminder. When it is queued, the first dispatch request is
    /// counted (<see cref="JobStateMachine.BeginDispatchTry"/>) in this same write, so the request can leave without a
    /// write of its own: one durable step less between a paid checkout and its workflow.
    /// </summary>
    private async Task SaveQueuedAsync()
    {
        var countsFirstRequest = Job.Status == JobStatus.Queued && Job.DispatchTries == 0;
        if (countsFirstRequest)
        {
            JobStateMachine.BeginDispatchTry(Job, time.GetUtcNow());
        }

        await SaveAsync(registerOwedReminder: true);
        _firstRequestCountedForAttempt = countsFirstRequest ? Job.Attempt : null;
    }

    /// <summary>
    /// Persists the state, then projects it into the read model; reports the transitions it made durable. With
    /// <paramref name="registerOwedReminder"/>, a job that now owes work also registers its reminder, alongside the
    /// projection: the two are independent, so the caller (a webhook, among others) waits for the slower one, not for both.
    /// With <paramref name="putOffReminder"/> (a dispatch just recorded), the reminder is put off to the run's deadline.
    /// </summary>
    private async Task SaveAsync(bool registerOwedReminder = false, bool putOffReminder = false)
    {
        using var span = JobTelemetry.StartTransition(JobId, Job, _recordedTransitions);
        await state.WriteOrReloadAsync(this);
        telemetry.Transitioned(Job, _recordedTransitions);
        _recordedTransitions = Job.History.Count;
        if (registerOwedReminder && OwesWork())
        {
            await Task.WhenAll(ProjectAsync(), EnsureReminderAsync(putOffToDeadline: putOffReminder));
        }
        else
        {
            await ProjectAsync();
        }
    }

    /// <summary>
    /// Remembers the trace of the call that may lead to a dispatch (a webhook, a slot freed, a retry, a new attempt), so that
    /// the dispatch, which runs later on a timer, belongs to it.
    /// </summary>
    private void FollowCaller()
    {
        if (Activity.Current is { } caller)
        {
            _dispatchOrigin = caller.Context;
            Job.DispatchTraceParent = caller.Id is { } id && caller.IdFormat == ActivityIdFormat.W3C ? id : null;
        }
    }

    private async Task ProjectAsync()
    {
        var snapshot = Job.ToSnapshot(JobId);
        await readModel.ProjectAsync(snapshot);
        _projectedVersion = snapshot.Version;
    }
}
