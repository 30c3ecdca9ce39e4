using Microsoft.Extensions.Options;
using Provisioning.StandardWebhooks;

namespace Provisioning.ActionsSimulator;

/// <summary>Stops the simulator at start on a setting it cannot serve, naming the key.</summary>
internal sealed class SimulatorOptionsValidation : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add($"{SimulatorOptions.Section}:Token is required: the token the dispatcher sends (its GitHub:Token) and the control API's key.");
        }

        if (options.Workflows.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{SimulatorOptions.Section}:Workflows has a blank entry: each entry is a workflow file name such as {SimulatorOptions.DefaultWorkflow}.");
        }

        if (options.FirstRunId < 1)
        {
            failures.Add($"{SimulatorOptions.Section}:FirstRunId must be at least 1 (it is {options.FirstRunId}).");
        }

        if (options.MaxLoggedRequests < 1)
        {
            failures.Add($"{SimulatorOptions.Section}:MaxLoggedRequests must be at least 1 (it is {options.MaxLoggedRequests}).");
        }

        for (var i = 0; i < options.Faults.Count; i++)
        {
            failures.AddRange(options.Faults[i].Problems().SelectMany(
                problem => problem.Value.Select(message => $"{SimulatorOptions.Section}:Faults:{i}:{problem.Key}: {message}")));
        }

        if (!string.IsNullOrEmpty(options.CallbackSecret) && !WebhookSecret.TryDecode(options.CallbackSecret, out _, out var secretProblem))
        {
            failures.Add($"{SimulatorOptions.Section}:CallbackSecret {secretProblem}");
        }

        if (!string.IsNullOrEmpty(options.CallbackSecret) && string.IsNullOrWhiteSpace(options.CallbackUrl))
        {
            failures.Add($"{SimulatorOptions.Section}:CallbackUrl is required when {SimulatorOptions.Section}:CallbackSecret is set: the gateway's callback address "
                + "(its Gateway:PublicUrl + /api/webhooks/github), as the workflow repository's PROVISIONING_CALLBACK_URL variable holds it.");
        }
        else if (!string.IsNullOrWhiteSpace(options.CallbackUrl)
                 && !(Uri.TryCreate(options.CallbackUrl, UriKind.Absolute, out var callbackUrl) && callbackUrl.Scheme is "http" or "https"))
        {
            failures.Add($"{SimulatorOptions.Section}:CallbackUrl must be an absolute http(s) URL (it is '{options.CallbackUrl}').");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"{SimulatorOptions.Section}:HeartbeatInterval must be more than 0 (it is {options.HeartbeatInterval}).");
        }

        if (options.CallbackTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{SimulatorOptions.Section}:CallbackTimeout must be more than 0 (it is {options.CallbackTimeout}).");
        }

        foreach (var (key, value) in new[]
                 {
                     ("ProvisionDuration", options.ProvisionDuration), ("PickupDelay", options.PickupDelay), ("CallbackRetryDelay", options.CallbackRetryDelay),
                 })
        {
            if (value < TimeSpan.Zero)
            {
                failures.Add($"{SimulatorOptions.Section}:{key} must be 0 or more (it is {value}).");
            }
        }

        if (options.CallbackTries < 1)
        {
            failures.Add($"{SimulatorOptions.Section}:CallbackTries must be at least 1 (it is {options.CallbackTries}).");
        }

        for (var i = 0; i < options.Behaviours.Count; i++)
        {
            failures.AddRange(options.Behaviours[i].Problems().SelectMany(
                problem => problem.Value.Select(message => $"{SimulatorOptions.Section}:Behaviours:{i}:{problem.Key}: {message}")));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
