using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// Stops the gateway at start when an operator key is too short or too uniform to be a secret, two names share one key, or the dashboard's
/// sign-in allows no failure at all.
/// </summary>
internal sealed class OperatorOptionsValidation : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var failures = new List<string>();
        foreach (var (keyName, key) in options.Configured())
        {
            var trimmed = key.Trim();
            if (trimmed.Any(char.IsWhiteSpace)
                || OperatorOptions.EstimatedBits(trimmed) < OperatorOptions.MinKeyBits
                || trimmed.Distinct().Count() < OperatorOptions.MinDistinctCharacters)
            {
                failures.Add($"{OperatorOptions.KeysKey}:{keyName} is not a usable operator key: it must hold at least {OperatorOptions.MinKeyBits} " +
                             $"random bits (e.g. 22 random letters and digits, or 32 hex digits), with at least {OperatorOptions.MinDistinctCharacters} " +
                             "different characters and no spaces: make one with op_$(head -c 24 /dev/urandom | base64 | tr -d '/+=').");
            }
        }

        foreach (var shared in options.Configured().GroupBy(k => k.Value.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{OperatorOptions.KeysKey}: {string.Join(" and ", shared.Select(k => k.Key))} have the same key; " +
                         "give each operator a key of their own, so that history names who acted.");
        }

        if (options.KeyFailuresPerMinute < 1)
        {
            failures.Add($"{OperatorOptions.KeyFailuresPerMinuteKey} must be at least 1 (it is {options.KeyFailuresPerMinute}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
