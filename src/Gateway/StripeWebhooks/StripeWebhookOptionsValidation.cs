using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>Stops the gateway at start when it could not verify a single Stripe delivery, or could admit none.</summary>
internal sealed class StripeWebhookOptionsValidation : IValidateOptions<StripeWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeWebhookOptions options)
    {
        var failures = new List<string>();
        if (!options.WebhookSecrets.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            failures.Add(
                $"{StripeWebhookOptions.SecretsKey} is not set (environment variable Stripe__WebhookSecrets__0, or " +
                $"{StripeWebhookOptions.LegacySecretVariable}): at least one Stripe webhook signing secret (whsec_...) is required.");
        }

        if (options.MaxConcurrentDeliveries < 1)
        {
            failures.Add($"Stripe:MaxConcurrentDeliveries must be at least 1 (got {options.MaxConcurrentDeliveries}).");
        }

        if (options.MaxQueuedDeliveries < 0)
        {
            failures.Add($"Stripe:MaxQueuedDeliveries must be 0 or more (got {options.MaxQueuedDeliveries}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
