using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// Stops the gateway at start when an operator key is too short to be a secret, two names share one key, or the dashboard's
/// sign-in allows no failure at all.
/// </summary>
internal sealed class OperatorOptionsValidation : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var failures = new List<string>();
        foreach (var (keyName, key) in options.Configured())
        {
            if (key.Trim().Length < OperatorOptions.MinKeyLength || key.Trim().Any(char.IsWhiteSpace))
            {
                failures.Add($"{OperatorOptions.KeysKey}:{keyName} is not a usable operator key: use at least {OperatorOptions.MinKeyLength} " +
                             "characters without spaces (e.g. op_$(head -c 24 /dev/urandom | base64 | tr -d '/+=')).");
            }
        }

        foreach (var shared in options.Configured().GroupBy(k => k.Value.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{OperatorOptions.KeysKey}: {string.Join(" and ", shared.Select(k => k.Key))} have the same key; " +
                         "give each operator a key of their own, so that history names who acted.");
        }

        if (options.DashboardSignInFailuresPerMinute < 1)
        {
            failures.Add($"{OperatorOptions.DashboardSignInFailuresPerMinuteKey} must be at least 1 (it is {options.DashboardSignInFailuresPerMinute}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
