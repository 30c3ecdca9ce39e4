using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provisioning.StandardWebhooks;

/// <summary>
/// The <c>webhook-signature</c> of Standard Webhooks: space-separated <c>v1,&lt;base64&gt;</c> entries, each an HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> over the raw body bytes.
/// </summary>
public static class WebhookSignature
{
    private const int SignatureBytes = 32;

    /// <summary>The <c>webhook-signature</c> value for one key.</summary>
    public static string Sign(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Compute(key, id, timestamp.ToString(CultureInfo.InvariantCulture), body));

    /// <summary>A new <c>webhook-id</c>: <c>msg_</c> and 32 hex digits.</summary>
    public static string NewMessageId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, the timestamp as it was sent.</summary>
    public static byte[] Compute(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{id}.{timestamp}."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    /// <summary>The decoded <c>v1</c> signatures of a header; entries of other versions or not base64 of 32 bytes are skipped.</summary>
    public static List<byte[]> Read(string header)
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
