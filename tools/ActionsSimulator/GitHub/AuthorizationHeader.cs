namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>Reads GitHub's <c>Authorization: Bearer &lt;token&gt;</c> or <c>token &lt;token&gt;</c>.</summary>
public static class AuthorizationHeader
{
    private static readonly string[] TokenSchemes = ["Bearer", "token"];
    private static readonly string[] KnownSchemes = [.. TokenSchemes, "Basic"];

    /// <summary>The scheme only, safe to log: null without the header, "unrecognized" for anything but a known scheme.</summary>
    public static string? Scheme(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var scheme = header.Split(' ', 2)[0];
        return KnownSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase) ? scheme : "unrecognized";
    }

    /// <summary>The token of a Bearer or token header; null for any other header.</summary>
    public static string? Token(string? header)
    {
        var parts = header?.Split(' ', 2, StringSplitOptions.TrimEntries);
        return parts is [var scheme, { Length: > 0 } token] && TokenSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase)
            ? token
            : null;
    }
}
