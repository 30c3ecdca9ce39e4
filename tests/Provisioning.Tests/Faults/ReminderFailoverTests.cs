using Provisioning.Diagnostics;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Faults;

/// <summary>Reminders are durable: a silo killed with SIGKILL does not take its reminders with it.</summary>
public sealed class ReminderFailoverTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Reminder_OwningSiloKilled_KeepsFiringOnSurvivor()
    {
        await using var cluster = new ProcessCluster(await TestPostgres.CreateMigratedDatabaseAsync("reminders"));
        cluster.SiloSettings["Orleans__Options__Reminders__MinimumReminderPeriod"] = "00:00:01";

        // Silo A alone: it owns the whole reminder ring when the reminder is registered.
        var siloA = await cluster.StartSiloAsync("silo-a");
        var client = await cluster.ConnectClientAsync();
        var probe = client.GetGrain<IReminderProbeGrain>($"failover-{Guid.NewGuid():N}");
        await probe.StartAsync(Period);
        var beforeKill = await Eventually.UntilAsync(probe.GetReportAsync, r => r.Ticks >= 2,
            TimeSpan.FromSeconds(60), "two reminder ticks on silo A");

        var siloB = await cluster.StartSiloAsync("silo-b");
        await siloA.KillAsync();
        Assert.True(siloA.HasExited);
        Assert.NotEqual(0, siloA.ExitCode);

        var afterKill = await Eventually.UntilAsync(
            probe.GetReportAsync,
            r => r.Ticks >= beforeKill.Ticks + 3 && r.LastSilo is not null && !beforeKill.Silos.Contains(r.LastSilo),
            TimeSpan.FromSeconds(90), "three more ticks delivered by the surviving silo");

        Assert.False(siloB.HasExited);
        Assert.True(afterKill.LastTickAt > beforeKill.LastTickAt);
        await probe.StopAsync();
    }
}
