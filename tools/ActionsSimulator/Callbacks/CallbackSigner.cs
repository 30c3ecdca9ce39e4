using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>
/// Signs callbacks the Standard Webhooks way: <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c>,
/// keyed with the base64-decoded part of a <c>whsec_&lt;base64&gt;</c> secret.
/// </summary>
public sealed class CallbackSigner
{
    public const string SecretPrefix = "whsec_";

    private readonly byte[] _key;

    public CallbackSigner(string secret)
    {
        _key = TryReadKey(secret, out var key, out var problem) ? key : throw new ArgumentException(problem, nameof(secret));
    }

    /// <summary>
    /// Reads the key of a <c>whsec_&lt;base64&gt;</c> secret as the gateway does: surrounding blanks ignored, the prefix optional
    /// (so a hex secret from <c>openssl rand -hex 32</c> is base64 too); false with the reason when it is not base64.
    /// </summary>
    public static bool TryReadKey(string secret, out byte[] key, out string problem)
    {
        key = [];
        var encoded = secret.Trim();
        if (encoded.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            encoded = encoded[SecretPrefix.Length..];
        }

        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length == 0)
        {
            problem = $"must be '{SecretPrefix}' followed by a non-empty base64 key (Standard Webhooks).";
            return false;
        }

        key = buffer[..length];
        problem = "";
        return true;
    }

    /// <summary>The <c>webhook-signature</c> value for a message.</summary>
    public string Sign(string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, content));
    }

    /// <summary>A new message id: <c>msg_</c> and 32 hex digits.</summary>
    public static string NewMessageId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
