using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Dashboard;

/// <summary>Stops the gateway at start when a dashboard setting is out of range, naming the key.</summary>
internal sealed class DashboardOptionsValidation : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var failures = new List<string>();
        if (options.WaitingAttentionAfter <= TimeSpan.Zero)
        {
            failures.Add($"{DashboardOptions.Section}:WaitingAttentionAfter must be a positive time span (e.g. 00:10:00), not {options.WaitingAttentionAfter}.");
        }

        if (options.SilentRunAttentionAfter <= TimeSpan.Zero)
        {
            failures.Add($"{DashboardOptions.Section}:SilentRunAttentionAfter must be a positive time span (e.g. 00:03:00), not {options.SilentRunAttentionAfter}.");
        }

        if (options.LivePollInterval < TimeSpan.FromMilliseconds(100) || options.LivePollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{DashboardOptions.Section}:LivePollInterval must be from 00:00:00.1 to 00:01:00, not {options.LivePollInterval}.");
        }

        if (options.AttentionRefreshInterval < options.LivePollInterval)
        {
            failures.Add($"{DashboardOptions.Section}:AttentionRefreshInterval ({options.AttentionRefreshInterval}) must be at least " +
                         $"{DashboardOptions.Section}:LivePollInterval ({options.LivePollInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
