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

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
