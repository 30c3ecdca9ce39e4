using Microsoft.Extensions.Options;

namespace Provisioning.StripeSimulator;

/// <summary>Stops the simulator at start on a setting it cannot serve, naming the key.</summary>
internal sealed class StripeSimulatorOptionsValidation : IValidateOptions<StripeSimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeSimulatorOptions options)
    {
        var failures = new List<string>();
        const string section = StripeSimulatorOptions.Section;
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{section}:ApiKey must not be blank.");
        }

        if (string.IsNullOrWhiteSpace(options.WebhookEndpointId))
        {
            failures.Add($"{section}:WebhookEndpointId must not be blank.");
        }

        if (!string.IsNullOrEmpty(options.WebhookUrl))
        {
            if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                failures.Add($"{section}:WebhookUrl must be an absolute http(s) URL (it is '{options.WebhookUrl}').");
            }

            if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                failures.Add($"{section}:WebhookSecret is required with {section}:WebhookUrl: deliveries are signed with it.");
            }
        }

        if (options.DeliveryTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:DeliveryTimeout must be more than 0 (it is {options.DeliveryTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
