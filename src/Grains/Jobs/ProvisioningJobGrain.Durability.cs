using Provisioning.Jobs;
using ReminderRule = Provisioning.Grains.Jobs.JobSchedule.ReminderRule;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// How the job grain makes its steps durable: the state write with its transition telemetry, the read-model projection,
/// and the owed-work reminder, written, kept or forgotten as <see cref="JobSchedule"/> decides.
/// </summary>
public sealed partial class ProvisioningJobGrain
{
    private const string OwedWorkReminder = "owed-work";
    private long _projectedVersion = -1;
    private int _recordedTransitions;
    private DateTimeOffset? _reminderTicksBy;
    private int? _firstRequestCountedForAttempt;

    /// <summary>Registers the reminder before any owed work starts, then starts what is due now.</summary>
    private async Task EnsureOwedWorkIsDurableAsync()
    {
        await ScheduleReminderAsync(ReminderRule.WakeInTime);
        ScheduleDispatch();
    }

    /// <summary>Whatever the reminder was registered as, once it ticks it ticks every period.</summary>
    private void ReminderTicked() => _reminderTicksBy = time.GetUtcNow() + Schedule.ReminderPeriod;

    /// <summary>Writes, keeps or forgets the owed-work reminder as <see cref="JobSchedule.Reminder"/> decides under <paramref name="rule"/>.</summary>
    private async Task ScheduleReminderAsync(ReminderRule rule)
    {
        var decision = Schedule.Reminder(rule, Job, _reminderTicksBy, time.GetUtcNow());
        JobLog.LogReminder(logger, JobId, decision.Action, decision.Why);
        if (decision.Action == JobSchedule.ReminderAction.Write)
        {
            await this.RegisterOrUpdateReminder(OwedWorkReminder, decision.Due, decision.Period);
        }
        else if (decision.Action == JobSchedule.ReminderAction.Forget && await this.GetReminder(OwedWorkReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderTicksBy = decision.TicksBy;
    }

    /// <summary>
    /// Persists a job that was just created or promoted, with its reminder. A queued job's first dispatch request is counted
    /// in this same write, so the request leaves without a write of its own: one durable step less between a paid checkout
    /// and its workflow.
    /// </summary>
    private async Task SaveQueuedAsync()
    {
        var countsFirstRequest = Job.Status == JobStatus.Queued && Job.DispatchTries == 0;
        if (countsFirstRequest)
        {
            JobStateMachine.BeginDispatchTry(Job, time.GetUtcNow());
        }

        await SaveAsync(ReminderRule.WakeInTime);
        _firstRequestCountedForAttempt = countsFirstRequest ? Job.Attempt : null;
    }

    /// <summary>Counts a dispatch request durably before it leaves, unless the write that queued the job already did.</summary>
    private async Task CountDispatchTryAsync(DateTimeOffset now)
    {
        if (_firstRequestCountedForAttempt == Job.Attempt)
        {
            _firstRequestCountedForAttempt = null;
        }
        else
        {
            JobStateMachine.BeginDispatchTry(Job, now);
            await state.WriteOrReloadAsync(this);
        }
    }

    /// <summary>
    /// Persists the state, then projects it into the read model; reports the transitions it made durable. A
    /// <paramref name="reminder"/> rule schedules the reminder alongside the projection: the two are independent, so the
    /// caller (a webhook, among others) waits for the slower one, not for both.
    /// </summary>
    private async Task SaveAsync(ReminderRule? reminder = null)
    {
        using var span = JobTelemetry.StartTransition(JobId, Job, _recordedTransitions);
        await state.WriteOrReloadAsync(this);
        telemetry.Transitioned(Job, _recordedTransitions);
        _recordedTransitions = Job.History.Count;
        await (reminder is { } rule ? Task.WhenAll(ProjectAsync(), ScheduleReminderAsync(rule)) : ProjectAsync());
    }

    /// <summary>
    /// Writes the reminder again for a job that still owes work. An activation elsewhere (a silo declared dead while it still
    /// ran) may have changed or removed it after this state was written; the next change retries when storage is down.
    /// </summary>
    private async Task RearmReminderAsync()
    {
        if (!JobSchedule.OwesWork(Job))
        {
            return;
        }

        try
        {
            await ScheduleReminderAsync(ReminderRule.WakeInTime);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or OrleansException)
        {
            JobLog.LogReminderDeferred(logger, JobId, ex.Message);
        }
    }

    /// <summary>Repairs a projection that fell behind (a crash between the state write and the projection); the next change retries.</summary>
    private async Task RepairProjectionAsync()
    {
        try
        {
            await ProjectAsync();
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            JobLog.LogProjectionDeferred(logger, JobId, ex.Message);
        }
    }

    /// <summary>
    /// Projects a state whose projection failed after its write. A retried callback (answered as a duplicate) or the next tick
    /// comes here; throwing keeps the callback retried and the reminder registered until the projection is written.
    /// </summary>
    private async Task ProjectIfBehindAsync()
    {
        if (Job.Created && _projectedVersion < Job.Version)
        {
            await ProjectAsync();
        }
    }

    private async Task ProjectAsync()
    {
        var snapshot = Job.ToSnapshot(JobId);
        await readModel.ProjectAsync(snapshot);
        _projectedVersion = snapshot.Version;
    }
}
