using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Provisioning.Grains.Dispatch;

public static class DispatchExtensions
{
    /// <summary>Registers the GitHub workflow dispatcher and its settings (<c>GitHub</c>, <c>Dispatch</c>, <c>Gateway:PublicUrl</c>), validated at start.</summary>
    public static IServiceCollection AddWorkflowDispatch(this IServiceCollection services)
    {
        services.AddOptions<DispatchOptions>()
            .BindConfiguration(DispatchOptions.Section)
            .Configure<IConfiguration>((o, configuration) => o.PublicUrl = configuration["Gateway:PublicUrl"] ?? "")
            .Validate(o => o.BaseDelay > TimeSpan.Zero && o.MaxDelay >= o.BaseDelay && o.Multiplier >= 1 && o.MaxTries >= 1,
                "Dispatch: BaseDelay must be positive, MaxDelay at least BaseDelay, Multiplier at least 1 and MaxTries at least 1.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidation>();
        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.Section).ValidateOnStart();
        services.AddTransient<GitHubApiVersionHandler>();
        // Each request has its own time-out (GitHub:RequestTimeout); the client's would only cut it shorter.
        services.AddHttpClient(GitHubWorkflowDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<GitHubApiVersionHandler>();
        services.AddSingleton<IWorkflowDispatcher, GitHubWorkflowDispatcher>();
        return services;
    }
}
