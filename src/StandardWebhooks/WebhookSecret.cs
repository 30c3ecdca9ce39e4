namespace Provisioning.StandardWebhooks;

/// <summary>
/// A Standard Webhooks secret: <c>whsec_</c> followed by the base64 of the HMAC key. The prefix is optional, as in the
/// Standard Webhooks libraries, so a secret made with <c>openssl rand -hex 32</c> (hex digits are base64 characters too)
/// keeps working: its base64 decoding is the key. Surrounding blanks are ignored.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>The shortest key accepted, in bytes.</summary>
    public const int MinKeyBytes = 16;

    /// <summary>The HMAC key of a secret, or null when the secret is not base64 of at least <see cref="MinKeyBytes"/> bytes.</summary>
    public static byte[]? TryDecode(string secret) => TryDecode(secret, out var key, out _) ? key : null;

    /// <summary>The HMAC key of a secret; false with the reason, worded to follow the setting's name, when it has none.</summary>
    public static bool TryDecode(string secret, out byte[] key, out string problem)
    {
        key = [];
        var encoded = secret.Trim();
        if (encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            encoded = encoded[Prefix.Length..];
        }

        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length == 0)
        {
            problem = $"must be '{Prefix}' followed by a non-empty base64 key (Standard Webhooks).";
            return false;
        }

        if (length < MinKeyBytes)
        {
            problem = $"must hold a key of at least {MinKeyBytes} bytes; this one has {length}.";
            return false;
        }

        key = buffer[..length];
        problem = "";
        return true;
    }
}
