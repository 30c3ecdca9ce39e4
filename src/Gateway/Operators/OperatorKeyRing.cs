using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// The configured operator keys, kept as SHA-256 digests. A presented key is digested and compared with every configured
/// digest in constant time, without stopping at a match, so neither the time taken nor the key's length says how close a
/// guess was. The keys are read on first use, after start-up validation has checked them.
/// </summary>
public sealed class OperatorKeyRing(IOptions<OperatorOptions> options)
{
    private readonly Lazy<(string Name, byte[] Digest)[]> _keys =
        new(() => [.. options.Value.Configured().Select(k => (k.Key, Digest(k.Value.Trim())))]);

    public bool IsEmpty => _keys.Value.Length == 0;

    /// <summary>The name of the operator whose key this is, or null.</summary>
    public string? NameOf(string presented)
    {
        var digest = Digest(presented);
        string? name = null;
        foreach (var key in _keys.Value)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, key.Digest))
            {
                name = key.Name;
            }
        }

        return name;
    }

    /// <summary>
    /// A browser session of the operator <paramref name="name"/> until <paramref name="expiresAt"/>:
    /// <c>name.expiry.mac</c>, the MAC an HMAC-SHA256 of the name and expiry keyed by the digest of that operator's key, so
    /// it needs no key store of its own, and removing or rotating the key ends the operator's sessions.
    /// </summary>
    public string IssueSession(string name, DateTimeOffset expiresAt)
    {
        var key = _keys.Value.First(k => k.Name == name);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{name}.{expiry}.{Mac(key.Digest, name, expiry)}";
    }

    /// <summary>The name of the operator whose unexpired session this is (<see cref="IssueSession"/>), or null.</summary>
    public string? NameOfSession(string session, DateTimeOffset now)
    {
        var parts = session.Split('.');
        if (parts.Length < 3 || !long.TryParse(parts[^2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expiry)
            || expiry <= now.ToUnixTimeSeconds())
        {
            return null;
        }

        var name = string.Join('.', parts[..^2]);
        var presented = Encoding.ASCII.GetBytes(parts[^1]);
        string? found = null;
        foreach (var key in _keys.Value)
        {
            if (key.Name == name && CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(Mac(key.Digest, name, parts[^2]))))
            {
                found = name;
            }
        }

        return found;
    }

    private static string Mac(byte[] keyDigest, string name, string expiry) =>
        Convert.ToBase64String(HMACSHA256.HashData(keyDigest, Encoding.UTF8.GetBytes($"dashboard-session|{name}|{expiry}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
