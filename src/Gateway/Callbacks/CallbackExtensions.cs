using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.StandardWebhooks;

namespace Provisioning.Gateway.Callbacks;

public static class CallbackExtensions
{
    /// <summary>
    /// Registers the workflow callback endpoint with its settings (<see cref="CallbackOptions"/>, from <c>Callbacks:Secrets</c>
    /// and the original app's <c>GITHUB_CALLBACK_SECRET</c>): the gateway stops at start when no valid secret is configured.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflowCallbacks(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CallbackOptions>, CallbackOptionsValidation>());
        builder.Services.AddOptions<CallbackOptions>()
            .BindConfiguration(CallbackOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.LegacySecret = configuration[CallbackOptions.LegacySecretVariable])
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new WebhookVerifier(
            [.. sp.GetRequiredService<IOptions<CallbackOptions>>().Value.Configured().Select(s => WebhookSecret.TryDecode(s.Secret)).OfType<byte[]>()],
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<CallbackHandler>();
        return builder;
    }
}
