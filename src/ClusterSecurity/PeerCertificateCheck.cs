using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provisioning.ClusterSecurity;

/// <summary>
/// Decides whether the certificate a peer showed belongs to the cluster. Host names are not checked (silos are reached by
/// IP addresses that change with every container); trust comes from the authority and the expected subject instead.
/// </summary>
public sealed class PeerCertificateCheck(X509Certificate2? authority, IEnumerable<string> subjects, IEnumerable<string> thumbprints)
{
    private readonly HashSet<string> _subjects = subjects.Where(s => !string.IsNullOrWhiteSpace(s))
        .Select(s => new X500DistinguishedName(s).Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private readonly HashSet<string> _thumbprints = thumbprints.Where(t => !string.IsNullOrWhiteSpace(t))
        .Select(NormalizeThumbprint).ToHashSet(StringComparer.Ordinal);

    /// <summary>Hex digits only, upper case: thumbprints are often copied with spaces or colons.</summary>
    public static string NormalizeThumbprint(string thumbprint) =>
        new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();

    public bool IsAccepted(X509Certificate2 certificate)
    {
        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            return false;
        }

        if (_thumbprints.Contains(certificate.Thumbprint)
            || _thumbprints.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256)))
        {
            return true;
        }

        return _subjects.Contains(certificate.SubjectName.Name) && ChainsToAuthority(certificate);
    }

    /// <summary>The TLS layer's callback: name mismatches are expected (see the class summary), everything else is decided here.</summary>
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors) =>
        !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && IsAccepted(certificate);

    private bool ChainsToAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (authority is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
        }

        return chain.Build(certificate);
    }
}
