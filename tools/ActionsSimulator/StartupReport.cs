using Microsoft.Extensions.Options;
using Provisioning.ActionsSimulator.Callbacks;
using Provisioning.ActionsSimulator.Faults;

namespace Provisioning.ActionsSimulator;

/// <summary>Says at start what the simulator accepts, so a person running it by hand sees it.</summary>
internal sealed class StartupReport(IOptions<SimulatorOptions> options, FaultQueue faults, BehaviourQueue behaviours, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        SimulatorLog.Started(
            logger,
            "Simulator:Token only",
            $"{Or(settings.Owner)}/{Or(settings.Repo)}",
            string.Join(", ", settings.Workflows),
            faults.Pending().Count);
        if (string.IsNullOrEmpty(settings.CallbackSecret))
        {
            SimulatorLog.NotPlayingRuns(logger);
        }
        else
        {
            SimulatorLog.PlayingRuns(logger, settings.HeartbeatInterval, settings.ProvisionDuration, behaviours.Pending().Count);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "*" : value;
}
