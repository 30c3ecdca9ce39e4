using Microsoft.Extensions.Options;
using Provisioning.StandardWebhooks;

namespace Provisioning.Gateway.Callbacks;

/// <summary>Stops the gateway at start when it could not verify a single callback, or a secret is not a Standard Webhooks secret.</summary>
internal sealed class CallbackOptionsValidation : IValidateOptions<CallbackOptions>
{
    public ValidateOptionsResult Validate(string? name, CallbackOptions options)
    {
        var configured = options.Configured().ToArray();
        if (configured.Length == 0)
        {
            return ValidateOptionsResult.Fail(
                $"{CallbackOptions.SecretsKey} is not set (environment variable Callbacks__Secrets__0, or {CallbackOptions.LegacySecretVariable}): " +
                "at least one callback signing secret (whsec_<base64>) is required; the provisioning workflow signs its callbacks with it.");
        }

        var failures = configured
            .Where(s => WebhookSecret.TryDecode(s.Secret) is null)
            .Select(s => $"{s.Key} is not a Standard Webhooks secret: expected {WebhookSecret.Prefix} followed by the base64 of at least " +
                         $"{WebhookSecret.MinKeyBytes} random bytes (e.g. whsec_$(head -c 32 /dev/urandom | base64)).")
            .ToArray();
        return failures.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
