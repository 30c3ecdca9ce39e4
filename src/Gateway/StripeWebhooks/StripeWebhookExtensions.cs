using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.StripeWebhooks;

public static class StripeWebhookExtensions
{
    /// <summary>
    /// Registers the Stripe webhook with its settings (<see cref="StripeWebhookOptions"/>, from <c>Stripe:WebhookSecrets</c>
    /// and the original app's <c>STRIPE_WEBHOOK_SECRET</c>): the gateway stops at start when no secret is configured.
    /// </summary>
    public static IHostApplicationBuilder AddStripeWebhook(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<StripeWebhookOptions>, StripeWebhookOptionsValidation>());
        builder.Services.AddOptions<StripeWebhookOptions>()
            .BindConfiguration(StripeWebhookOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) => options.WebhookSecrets =
            [
                .. options.WebhookSecrets.Append(configuration[StripeWebhookOptions.LegacySecretVariable])
                    .Where(secret => !string.IsNullOrWhiteSpace(secret))
                    .Select(secret => secret!.Trim())
                    .Distinct(StringComparer.Ordinal),
            ])
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StripeSignatureVerifier>();
        builder.Services.AddSingleton<StripeWebhookHandler>();
        builder.Services.AddSingleton<StripeWebhookAdmission>();
        return builder;
    }
}
