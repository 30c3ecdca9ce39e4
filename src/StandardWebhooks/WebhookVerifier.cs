using System.Globalization;
using System.Security.Cryptography;

namespace Provisioning.StandardWebhooks;

/// <summary>What the Standard Webhooks headers of a message say about its body.</summary>
public enum WebhookSignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
    Expired,
}

/// <summary>
/// Verifies a message the Standard Webhooks way against several keys: one <c>v1</c> entry matching one key is enough
/// (rotation). Every key and entry is tried and compared in constant time, so the time taken does not say which part
/// matched. A matching signature whose timestamp is more than <see cref="ToleranceSeconds"/> from the clock's now, either
/// way, is refused as expired.
/// </summary>
public sealed class WebhookVerifier(IReadOnlyList<byte[]> keys, TimeProvider time)
{
    /// <summary>How far, in seconds, <c>webhook-timestamp</c> may be from now (the Standard Webhooks recommendation).</summary>
    public const long ToleranceSeconds = 300;

    /// <summary>The longest <c>webhook-id</c> accepted: a receiver remembers ids to turn away replays.</summary>
    public const int MaxIdLength = 200;

    public WebhookSignatureCheck Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return WebhookSignatureCheck.Missing;
        }

        if (id.Length > MaxIdLength
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var signedAt)
            || WebhookSignature.Read(signature) is not { Count: > 0 } candidates)
        {
            return WebhookSignatureCheck.Malformed;
        }

        var matched = false;
        foreach (var key in keys)
        {
            var expected = WebhookSignature.Compute(key, id, timestamp, body);
            foreach (var candidate in candidates)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        if (!matched)
        {
            return WebhookSignatureCheck.Mismatch;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return Math.Abs(now - signedAt) <= ToleranceSeconds ? WebhookSignatureCheck.Valid : WebhookSignatureCheck.Expired;
    }
}
