namespace Provisioning.Gateway.Callbacks;

/// <summary>
/// A Standard Webhooks secret: <c>whsec_</c> followed by the base64 of the HMAC key. The prefix is optional, as in the
/// Standard Webhooks libraries, so a secret made with <c>openssl rand -hex 32</c> (the original app's advice; hex digits are
/// base64 characters too) keeps working: its base64 decoding is the key.
/// </summary>
public static class CallbackSecret
{
    public const string Prefix = "whsec_";

    /// <summary>The shortest key accepted, in bytes.</summary>
    public const int MinKeyBytes = 16;

    /// <summary>The HMAC key of a secret, or null when the secret is not base64 of at least <see cref="MinKeyBytes"/> bytes.</summary>
    public static byte[]? TryDecode(string secret)
    {
        var text = secret.Trim();
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = text[Prefix.Length..];
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= MinKeyBytes
            ? buffer[..written]
            : null;
    }
}
