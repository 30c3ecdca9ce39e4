using System.Security.Cryptography.X509Certificates;

namespace Provisioning.ClusterSecurity;

/// <summary>Loads the certificates <see cref="ClusterTlsOptions"/> names.</summary>
public static class ClusterCertificates
{
    /// <summary>This host's certificate with its private key, from a PEM or PFX file or from the store.</summary>
    public static X509Certificate2 LoadLocal(ClusterTlsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.StoreSubject))
        {
            var location = Enum.Parse<StoreLocation>(options.StoreLocation, ignoreCase: true);
            using var store = new X509Store(options.StoreName, location);
            store.Open(OpenFlags.ReadOnly);
            return store.Certificates.Find(X509FindType.FindBySubjectName, options.StoreSubject, validOnly: false)
                .Where(c => c.HasPrivateKey && c.NotAfter > DateTime.Now)
                .OrderByDescending(c => c.NotAfter)
                .FirstOrDefault()
                ?? throw new InvalidOperationException(
                    $"Orleans:Tls:StoreSubject: no certificate with a private key for '{options.StoreSubject}' in {location}/{options.StoreName}.");
        }

        var path = options.CertificatePath!;
        var certificate = Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
            : string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, options.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, options.KeyPath);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"Orleans:Tls:CertificatePath: '{path}' has no private key (set Orleans:Tls:KeyPath).");
        }

        // A PEM key lives only in memory; SslStream on Linux wants the certificate in its PKCS#12 form.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The check peers' certificates must pass.</summary>
    public static PeerCertificateCheck PeerCheck(ClusterTlsOptions options) => new(
        string.IsNullOrWhiteSpace(options.AuthorityPath) ? null : X509CertificateLoader.LoadCertificateFromFile(options.AuthorityPath),
        options.PeerSubjects,
        options.PeerThumbprints);
}
