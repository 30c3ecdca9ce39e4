namespace Provisioning.Gateway.Callbacks;

/// <summary>How the gateway checks the provisioning workflow's callbacks. Bound from the <c>Callbacks</c> section.</summary>
public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>The configuration key of the secrets, as error messages and docs name it.</summary>
    public const string SecretsKey = "Callbacks:Secrets";

    /// <summary>The single secret variable of the original app; its value is accepted besides <see cref="Secrets"/>.</summary>
    public const string LegacySecretVariable = "GITHUB_CALLBACK_SECRET";

    /// <summary>
    /// <c>Callbacks:Secrets</c>: the Standard Webhooks signing secrets (<c>whsec_&lt;base64&gt;</c>) the workflow signs its callbacks
    /// with. A callback signed with any of them is accepted, so an old and a new secret both work while the secret is rotated
    /// (environment variables <c>Callbacks__Secrets__0</c>, <c>Callbacks__Secrets__1</c>, ...). Blank entries are ignored.
    /// Required: at least one, here or in <c>GITHUB_CALLBACK_SECRET</c>.
    /// </summary>
    public string[] Secrets { get; set; } = [];

    /// <summary>The value of <c>GITHUB_CALLBACK_SECRET</c>, if set: one more accepted secret.</summary>
    public string? LegacySecret { get; set; }

    /// <summary>Every configured secret that is not blank, trimmed, each once.</summary>
    public IEnumerable<(string Key, string Secret)> Configured() =>
        Secrets.Select((secret, i) => (Key: $"{SecretsKey}:{i}", Secret: secret))
            .Append((Key: LegacySecretVariable, Secret: LegacySecret ?? ""))
            .Where(s => !string.IsNullOrWhiteSpace(s.Secret))
            .Select(s => (s.Key, Secret: s.Secret.Trim()))
            .DistinctBy(s => s.Secret, StringComparer.Ordinal);
}
