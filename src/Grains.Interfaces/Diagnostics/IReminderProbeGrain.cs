namespace Provisioning.Diagnostics;

/// <summary>
/// A self-check for durable reminders: once started it counts reminder ticks in grain storage,
/// noting the silo that delivered each one. Operators use it to prove reminders survive silo failures.
/// </summary>
[Alias("Provisioning.Diagnostics.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("StartAsync")]
    Task StartAsync(TimeSpan period);

    [Alias("StopAsync")]
    Task StopAsync();

    [Alias("GetReportAsync")]
    Task<ReminderProbeReport> GetReportAsync();
}
