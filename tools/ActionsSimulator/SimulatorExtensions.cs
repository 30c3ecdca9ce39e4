using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.ActionsSimulator.Callbacks;
using Provisioning.ActionsSimulator.Faults;
using Provisioning.ActionsSimulator.GitHub;
using Provisioning.ActionsSimulator.Requests;
using Provisioning.ActionsSimulator.Runs;

namespace Provisioning.ActionsSimulator;

public static class SimulatorExtensions
{
    /// <summary>
    /// Registers the simulator with its settings (<see cref="SimulatorOptions"/>, section <c>Simulator</c>, checked at start),
    /// listening on <see cref="SimulatorOptions.DefaultUrl"/> unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> say otherwise (on
    /// loopback only, unless <c>Simulator:ListenBeyondLoopback</c>), and logging one line per request.
    /// </summary>
    public static IHostApplicationBuilder AddActionsSimulator(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.HttpPortsKey]))
        {
            builder.Configuration[WebHostDefaults.ServerUrlsKey] = SimulatorOptions.DefaultUrl;
        }

        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidation>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, ListenAddressValidation>());
        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.Section)
            .PostConfigure(options => options.Workflows = options.Workflows.Length == 0 ? [SimulatorOptions.DefaultWorkflow] : options.Workflows)
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<FaultQueue>();
        builder.Services.AddSingleton<FaultEffects>();
        builder.Services.AddSingleton<GitHubAccess>();
        builder.Services.AddSingleton<WorkflowCatalog>();
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<DispatchHandler>();
        builder.Services.AddSingleton<BehaviourQueue>();
        builder.Services.AddSingleton<CallbackLog>();
        builder.Services.AddHttpClient(CallbackRunPlayer.HttpClientName)
            .ConfigureHttpClient((services, http) => http.Timeout = services.GetRequiredService<IOptions<SimulatorOptions>>().Value.CallbackTimeout);
        builder.Services.TryAddSingleton<IRunPlayer>(services =>
            string.IsNullOrEmpty(services.GetRequiredService<IOptions<SimulatorOptions>>().Value.CallbackSecret)
                ? new IdleRunPlayer()
                : ActivatorUtilities.CreateInstance<CallbackRunPlayer>(services));
        builder.Services.AddHostedService<StartupReport>();
        return builder;
    }
}
