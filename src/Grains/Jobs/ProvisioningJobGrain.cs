using Microsoft.Extensions.Logging;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Users;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// One paid checkout's provisioning job (key: the Stripe event id). It persists its state, projects every change into
/// the read model, and owes its user's slot a release when it ends: a reminder keeps that debt durable.
/// </summary>
public sealed partial class ProvisioningJobGrain(
    [PersistentState("job", ProvisioningStorage.Name)] IPersistentState<JobState> state,
    IJobReadModel readModel,
    TimeProvider time,
    ILogger<ProvisioningJobGrain> logger) : Grain, IProvisioningJobGrain, IRemindable
{
    private const string OwedWorkReminder = "owed-work";
    private static readonly TimeSpan OwedWorkPeriod = TimeSpan.FromMinutes(1);
    private long _projectedVersion = -1;

    private string JobId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Created)
        {
            // Repair a projection that fell behind (a crash between the state write and the projection).
            try
            {
                await ProjectAsync();
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                LogProjectionDeferred(logger, JobId, ex.Message);
            }
        }
    }

    public async Task<JobSnapshot> CreateAsync(NewJob job)
    {
        if (job.JobId != JobId)
        {
            throw new ArgumentException($"Job id {job.JobId} does not match the grain key {JobId}.", nameof(job));
        }

        if (!state.State.Created)
        {
            var admission = await GrainFactory.GetGrain<IUserGrain>(job.UserId).AdmitAsync(JobId);
            JobStateMachine.Create(state.State, job, admission.Admitted, time.GetUtcNow());
            await SaveAsync();
            LogCreated(logger, JobId, job.UserId, state.State.Status);
            if (state.State.Status == JobStatus.Queued)
            {
                await OnQueuedAsync();
            }
        }
        else if (_projectedVersion < state.State.Version)
        {
            await ProjectAsync();
        }

        return state.State.ToSnapshot(JobId);
    }

    public Task<JobSnapshot?> GetAsync() =>
        Task.FromResult(state.State.Created ? state.State.ToSnapshot(JobId) : null);

    public async Task StartAsync()
    {
        if (!state.State.Created)
        {
            return; // Not created yet: its creation asks the user's slot again and is admitted then.
        }

        if (JobStateMachine.TryMove(state.State, JobStatus.Queued, JobActor.System, "the user's previous job ended", time.GetUtcNow()))
        {
            await SaveAsync();
            LogPromoted(logger, JobId, state.State.UserId);
            await OnQueuedAsync();
        }

        await GrainFactory.GetGrain<IUserGrain>(state.State.UserId).ConfirmStartedAsync(JobId);
    }

    public async Task<JobSnapshot?> CancelAsync(JobActor actor, string reason)
    {
        if (!state.State.Created)
        {
            return null;
        }

        await EndAsync(JobStatus.Cancelled, actor, reason);
        return state.State.ToSnapshot(JobId);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Ticks can be missed or repeated: do only what the durable state says is still owed.
        if (state.State.SlotReleasePending)
        {
            await ReleaseSlotAsync();
        }

        if (!OwesWork())
        {
            await ForgetReminderAsync();
        }
    }

    /// <summary>
    /// The job is queued: the point where dispatching the provisioning workflow starts.
    /// </summary>
    private Task OnQueuedAsync()
    {
        LogQueued(logger, JobId, state.State.Attempt);
        return Task.CompletedTask;
    }

    private async Task EndAsync(JobStatus terminal, JobActor actor, string reason)
    {
        if (JobStateMachine.IsTerminal(state.State.Status))
        {
            return;
        }

        // The reminder exists before the job ends, so a crash right after cannot leave the user's slot taken.
        await this.RegisterOrUpdateReminder(OwedWorkReminder, OwedWorkPeriod, OwedWorkPeriod);
        if (JobStateMachine.TryMove(state.State, terminal, actor, reason, time.GetUtcNow()))
        {
            await SaveAsync();
            LogEnded(logger, JobId, terminal, actor, reason);
        }

        await ReleaseSlotAsync();
        if (!OwesWork())
        {
            await ForgetReminderAsync();
        }
    }

    private async Task ReleaseSlotAsync()
    {
        await GrainFactory.GetGrain<IUserGrain>(state.State.UserId).ReleaseAsync(JobId);
        state.State.SlotReleasePending = false;
        await state.WriteOrReloadAsync(this);
    }

    private bool OwesWork() => state.State.SlotReleasePending;

    private async Task ForgetReminderAsync()
    {
        var reminder = await this.GetReminder(OwedWorkReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Persists the state, then projects it into the read model.</summary>
    private async Task SaveAsync()
    {
        await state.WriteOrReloadAsync(this);
        await ProjectAsync();
    }

    private async Task ProjectAsync()
    {
        var snapshot = state.State.ToSnapshot(JobId);
        await readModel.ProjectAsync(snapshot);
        _projectedVersion = snapshot.Version;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Job {JobId} created for user {UserId}: {Status}")]
    private static partial void LogCreated(ILogger logger, string jobId, string userId, JobStatus status);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Job {JobId} queued (attempt {Attempt})")]
    private static partial void LogQueued(ILogger logger, string jobId, int attempt);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Job {JobId} promoted from waiting: user {UserId}'s slot is free")]
    private static partial void LogPromoted(ILogger logger, string jobId, string userId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Job {JobId} ended {Status} by {Actor}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string jobId, JobStatus status, JobActor actor, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Job {JobId}: read model not repaired on activation ({Reason}); the next change retries")]
    private static partial void LogProjectionDeferred(ILogger logger, string jobId, string reason);
}
