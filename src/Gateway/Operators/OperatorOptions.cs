namespace Provisioning.Gateway.Operators;

/// <summary>Who may act on jobs, and whether reading needs a key. Bound from the <c>Gateway</c> section.</summary>
public sealed class OperatorOptions
{
    public const string Section = "Gateway";

    /// <summary>The configuration key of the operator keys, as messages and docs name it.</summary>
    public const string KeysKey = "Gateway:OperatorKeys";

    public const string RequireKeyForReadsKey = "Gateway:RequireKeyForReads";

    public const string DashboardSignInFailuresPerMinuteKey = "Gateway:DashboardSignInFailuresPerMinute";

    /// <summary>The shortest operator key accepted.</summary>
    public const int MinKeyLength = 16;

    /// <summary>
    /// <c>Gateway:OperatorKeys</c>: operator keys by name (<c>Gateway__OperatorKeys__alice=&lt;key&gt;</c>). The name is what a job's
    /// history records as the actor of a retry or a cancel; the key is sent as <c>Authorization: Bearer &lt;key&gt;</c> or
    /// <c>X-Api-Key: &lt;key&gt;</c>. Blank entries are ignored. Default: none, and then every operator action answers 401.
    /// </summary>
    public Dictionary<string, string> OperatorKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <c>Gateway:RequireKeyForReads</c>: whether the read-only endpoints (<c>GET /api/...</c>) need an operator key too.
    /// Default: true, unless every address the gateway listens on is a loopback address (then they are open to local callers).
    /// </summary>
    public bool? RequireKeyForReads { get; set; }

    /// <summary>
    /// <c>Gateway:DashboardSignInFailuresPerMinute</c>: how many failed dashboard sign-ins one client address may make in a
    /// minute before its sign-ins are refused (429) until the minute ends. Default: 10.
    /// </summary>
    public int DashboardSignInFailuresPerMinute { get; set; } = 10;

    /// <summary>The configured keys that are not blank, by name.</summary>
    public IEnumerable<KeyValuePair<string, string>> Configured() =>
        OperatorKeys.Where(k => !string.IsNullOrWhiteSpace(k.Value));
}
