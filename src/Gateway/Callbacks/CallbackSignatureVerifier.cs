using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Callbacks;

/// <summary>What the Standard Webhooks headers of a callback say about its body.</summary>
public enum CallbackSignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
    Expired,
}

/// <summary>
/// Verifies a callback the Standard Webhooks way: <c>webhook-signature</c> holds space-separated <c>v1,&lt;base64&gt;</c>
/// entries, each an HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c> keyed with a configured secret's key;
/// one entry matching one secret is enough (rotation). Signatures are compared in constant time, and every secret and entry
/// is tried, so the time taken does not say which part matched. A matching signature whose timestamp is more than
/// <see cref="ToleranceSeconds"/> from now, either way, is refused as expired.
/// </summary>
public sealed class CallbackSignatureVerifier
{
    /// <summary>How far, in seconds, <c>webhook-timestamp</c> may be from now (the Standard Webhooks recommendation).</summary>
    public const long ToleranceSeconds = 300;

    /// <summary>The longest <c>webhook-id</c> accepted: the id is remembered by the job to turn away replays.</summary>
    public const int MaxIdLength = 200;

    private const int SignatureBytes = 32;

    private readonly byte[][] _keys;
    private readonly TimeProvider _time;

    public CallbackSignatureVerifier(IOptions<CallbackOptions> options, TimeProvider time)
    {
        _keys = [.. options.Value.Configured().Select(s => CallbackSecret.TryDecode(s.Secret)).OfType<byte[]>()];
        _time = time;
    }

    public CallbackSignatureCheck Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrWhiteSpace(signature))
        {
            return CallbackSignatureCheck.Missing;
        }

        if (id.Length > MaxIdLength
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var signedAt)
            || ReadSignatures(signature) is not { Count: > 0 } candidates)
        {
            return CallbackSignatureCheck.Malformed;
        }

        var matched = false;
        foreach (var key in _keys)
        {
            var expected = Sign(key, id, timestamp, body);
            foreach (var candidate in candidates)
            {
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        if (!matched)
        {
            return CallbackSignatureCheck.Mismatch;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return Math.Abs(now - signedAt) <= ToleranceSeconds ? CallbackSignatureCheck.Valid : CallbackSignatureCheck.Expired;
    }

    /// <summary>HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, the body as the raw bytes received.</summary>
    private static byte[] Sign(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{id}.{timestamp}."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>The decoded <c>v1</c> signatures of the header; entries of other versions or not base64 of 32 bytes are skipped.</summary>
    private static List<byte[]> ReadSignatures(string header)
    {
        var signatures = new List<byte[]>();
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var comma = entry.IndexOf(',');
            if (comma <= 0 || !entry.AsSpan(0, comma).SequenceEqual("v1"))
            {
                continue;
            }

            var value = entry[(comma + 1)..];
            var buffer = new byte[value.Length];
            if (Convert.TryFromBase64String(value, buffer, out var written) && written == SignatureBytes)
            {
                signatures.Add(buffer[..written]);
            }
        }

        return signatures;
    }
}
