using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator;

/// <summary>Stops the simulator at start on a setting it cannot serve, naming the key.</summary>
internal sealed class SimulatorOptionsValidation : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
