namespace Provisioning.Gateway.Operators;

/// <summary>Who may act on jobs, and whether reading needs a key. Bound from the <c>Gateway</c> section.</summary>
public sealed class OperatorOptions
{
    public const string Section = "Gateway";

    /// <summary>The configuration key of the operator keys, as messages and docs name it.</summary>
    public const string KeysKey = "Gateway:OperatorKeys";

    public const string RequireKeyForReadsKey = "Gateway:RequireKeyForReads";

    public const string KeyFailuresPerMinuteKey = "Gateway:KeyFailuresPerMinute";

    /// <summary>The least estimated randomness of an operator key, in bits (<see cref="EstimatedBits"/>).</summary>
    public const int MinKeyBits = 128;

    /// <summary>The fewest different characters an operator key may have: rejects repeated and patterned keys.</summary>
    public const int MinDistinctCharacters = 10;

    /// <summary>
    /// The randomness of <paramref name="key"/> if its characters were drawn at random from the character classes it uses
    /// (hex digits 16; else lower case 26, upper case 26, digits 10, others 32): an upper bound that rejects short keys.
    /// </summary>
    public static double EstimatedBits(string key)
    {
        var pool = key.All(Uri.IsHexDigit) && (key.All(c => !char.IsUpper(c)) || key.All(c => !char.IsLower(c))) ? 16
            : (key.Any(char.IsAsciiLetterLower) ? 26 : 0) + (key.Any(char.IsAsciiLetterUpper) ? 26 : 0)
              + (key.Any(char.IsAsciiDigit) ? 10 : 0) + (key.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 32 : 0);
        return key.Length * Math.Log2(Math.Max(pool, 1));
    }

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
    /// <c>Gateway:KeyFailuresPerMinute</c>: how many wrong operator keys one client address may send in a minute (to any
    /// endpoint or the dashboard's sign-in) before every key from it is refused (429) until the minute ends. Default: 10.
    /// </summary>
    public int KeyFailuresPerMinute { get; set; } = 10;

    /// <summary>The configured keys that are not blank, by name.</summary>
    public IEnumerable<KeyValuePair<string, string>> Configured() =>
        OperatorKeys.Where(k => !string.IsNullOrWhiteSpace(k.Value));
}
