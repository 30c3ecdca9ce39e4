using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Webhooks;

/// <summary>Stops the gateway at start when it could not verify a single Stripe delivery.</summary>
internal sealed class StripeWebhookOptionsValidation : IValidateOptions<StripeWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeWebhookOptions options) =>
        options.WebhookSecrets.Any(s => !string.IsNullOrWhiteSpace(s))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{StripeWebhookOptions.SecretsKey} is not set (environment variable Stripe__WebhookSecrets__0, or " +
                $"{StripeWebhookOptions.LegacySecretVariable}): at least one Stripe webhook signing secret (whsec_...) is required.");
}
