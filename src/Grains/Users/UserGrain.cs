using Microsoft.Extensions.Logging;
using Provisioning.Jobs;
using Provisioning.Users;

namespace Provisioning.Grains.Users;

/// <summary>
/// A user's provisioning slot: at most one in-progress job; later paid jobs wait in order and start by themselves.
/// This grain never waits on a job grain (jobs call it), so the two can never deadlock: a promotion is sent one-way
/// and a reminder repeats it until the job confirms. It is placed on the silo of the job that first asks for the slot.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class UserGrain(
    [PersistentState("user-slot", ProvisioningStorage.Name)] IPersistentState<UserSlotState> state,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IRemindable
{
    private const string PromotionReminder = "promotion";
    private static readonly TimeSpan PromotionRetryPeriod = TimeSpan.FromMinutes(1);

    private string UserId => this.GetPrimaryKeyString();

    public async Task<Admission> AdmitAsync(string jobId)
    {
        var slot = state.State;
        if (slot.CurrentJobId == jobId)
        {
            return new Admission(true, 0);
        }

        var position = slot.Waiting.IndexOf(jobId);
        if (position >= 0)
        {
            return new Admission(false, position + 1);
        }

        if (slot.CurrentJobId is null)
        {
            slot.CurrentJobId = jobId;
            await state.WriteOrReloadAsync(this);
            return new Admission(true, 0);
        }

        slot.Waiting.Add(jobId);
        await state.WriteOrReloadAsync(this);
        LogWaiting(logger, jobId, UserId, slot.CurrentJobId, slot.Waiting.Count);
        return new Admission(false, slot.Waiting.Count);
    }

    public async Task ReleaseAsync(string jobId)
    {
        var slot = state.State;
        if (slot.Waiting.Remove(jobId))
        {
            await state.WriteOrReloadAsync(this);
            return;
        }

        if (slot.CurrentJobId != jobId)
        {
            return; // Already released.
        }

        var next = slot.Waiting.Count > 0 ? slot.Waiting[0] : null;
        if (next is not null)
        {
            // Registered before the slot changes in memory: if storage is down this throws with the slot unchanged, so the
            // ended job's retry releases it again. (Changing the slot first left it handed to the next job in memory only:
            // the retry then found it "already released" and the next job waited forever.)
            await this.RegisterOrUpdateReminder(PromotionReminder, PromotionRetryPeriod, PromotionRetryPeriod);
            slot.Waiting.RemoveAt(0);
            slot.PromotionPending = true;
        }

        slot.CurrentJobId = next;
        await state.WriteOrReloadAsync(this);
        if (slot.CurrentJobId is not null)
        {
            LogPromoting(logger, slot.CurrentJobId, UserId, jobId);
            await GrainFactory.GetGrain<IProvisioningJobGrain>(slot.CurrentJobId).StartAsync();
        }
    }

    public async Task ConfirmStartedAsync(string jobId)
    {
        if (state.State.CurrentJobId != jobId || !state.State.PromotionPending)
        {
            return;
        }

        state.State.PromotionPending = false;
        await state.WriteOrReloadAsync(this);
        await ForgetReminderAsync();
    }

    public Task<UserSlot> GetAsync() =>
        Task.FromResult(new UserSlot(UserId, state.State.CurrentJobId, state.State.Waiting.ToArray()));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.PromotionPending && state.State.CurrentJobId is { } current)
        {
            await GrainFactory.GetGrain<IProvisioningJobGrain>(current).StartAsync();
            return;
        }

        await ForgetReminderAsync();
    }

    private async Task ForgetReminderAsync()
    {
        var reminder = await this.GetReminder(PromotionReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }


    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Job {JobId} waits: user {UserId} has job {CurrentJobId} in progress ({Waiting} waiting)")]
    private static partial void LogWaiting(ILogger logger, string jobId, string userId, string currentJobId, int waiting);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Job {JobId} gets user {UserId}'s slot after job {PreviousJobId}")]
    private static partial void LogPromoting(ILogger logger, string jobId, string userId, string previousJobId);
}
