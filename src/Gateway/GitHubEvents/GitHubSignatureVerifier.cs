using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.GitHubEvents;

/// <summary>
/// Checks GitHub's <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c> header: the HMAC-SHA256 of the raw body keyed with
/// <c>GitHub:WebhookSecret</c>, compared in constant time. GitHub's deliveries carry no timestamp; replays are turned away
/// by the delivery id instead.
/// </summary>
public sealed class GitHubSignatureVerifier(IOptions<GitHubEventsOptions> options)
{
    private const string Prefix = "sha256=";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.WebhookSecret?.Trim() ?? "");

    public bool IsValid(string? header, ReadOnlySpan<byte> body)
    {
        if (_key.Length == 0 || header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(header.AsSpan(Prefix.Length).Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(_key, body);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }
}
