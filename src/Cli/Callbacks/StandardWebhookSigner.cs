using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Cli.Callbacks;

/// <summary>
/// Standard Webhooks signatures, as the gateway checks a workflow callback (docs/callbacks.md):
/// <c>v1,</c> and the base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the base64-decoded
/// secret after <c>whsec_</c> (a secret without the prefix is decoded as it is).
/// </summary>
public static class StandardWebhookSigner
{
    private const string Prefix = "whsec_";

    public static string Sign(string secret, string webhookId, long timestamp, byte[] body)
    {
        using var hmac = new HMACSHA256(Key(secret));
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.").Concat(body).ToArray();
        return $"v1,{Convert.ToBase64String(hmac.ComputeHash(signed))}";
    }

    /// <summary>A new <c>webhook-id</c>: <c>msg_</c> and 32 hex digits.</summary>
    public static string NewWebhookId() => $"msg_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";

    private static byte[] Key(string secret)
    {
        var text = secret.Trim();
        text = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        try
        {
            var key = Convert.FromBase64String(text);
            return key.Length >= 16
                ? key
                : throw CliException.Usage($"the callback secret's key is {key.Length} bytes; the gateway needs at least 16");
        }
        catch (FormatException)
        {
            throw CliException.Usage("the callback secret is not whsec_ followed by base64");
        }
    }
}
