using Provisioning.Diagnostics;

namespace Provisioning.Grains.Diagnostics;

public sealed class ReminderProbeGrain(
    [PersistentState("reminder-probe", ProvisioningStorage.Name)] IPersistentState<ReminderProbeState> state,
    ILocalSiloDetails silo,
    TimeProvider time) : Grain, IReminderProbeGrain, IRemindable
{
    private const string ReminderName = "probe";

    public async Task StartAsync(TimeSpan period) =>
        await this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<ReminderProbeReport> GetReportAsync() =>
        Task.FromResult(new ReminderProbeReport(state.State.Ticks, state.State.LastTickAt, state.State.LastSilo, state.State.Silos.ToArray()));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var here = silo.SiloAddress.ToString();
        state.State.Ticks++;
        state.State.LastTickAt = time.GetUtcNow();
        state.State.LastSilo = here;
        if (!state.State.Silos.Contains(here))
        {
            state.State.Silos.Add(here);
        }

        await state.WriteStateAsync();
    }
}
