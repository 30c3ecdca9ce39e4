namespace Provisioning.ClusterSecurity;

/// <summary>
/// Transport security of the Orleans ports (silo-to-silo and client-to-silo). Bound from <c>Orleans:Tls</c> on the silos and
/// on the gateway. This host's certificate comes from a file (<see cref="CertificatePath"/>) or from the certificate store
/// (<see cref="StoreSubject"/>); a peer is accepted when its certificate chains to <see cref="AuthorityPath"/> (or, when
/// that is empty, to the system's trusted roots) and its subject is one of <see cref="PeerSubjects"/>, or when its
/// thumbprint is one of <see cref="PeerThumbprints"/>.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "Orleans:Tls";

    /// <summary><c>Orleans:Tls:Mode</c>: <c>Mutual</c> (default) or <c>LoopbackPlaintext</c>.</summary>
    public ClusterTlsMode Mode { get; set; } = ClusterTlsMode.Mutual;

    /// <summary><c>Orleans:Tls:CertificatePath</c>: this host's certificate, a PEM file or a PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary><c>Orleans:Tls:KeyPath</c>: the PEM private key of a PEM certificate. Empty: the key is in the certificate's file.</summary>
    public string? KeyPath { get; set; }

    /// <summary><c>Orleans:Tls:CertificatePassword</c>: the password of a PFX file, or of an encrypted PEM key. Default: none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary><c>Orleans:Tls:StoreSubject</c>: instead of a file, the subject of a certificate in the store (with its private key).</summary>
    public string? StoreSubject { get; set; }

    /// <summary><c>Orleans:Tls:StoreName</c>: the store searched for <see cref="StoreSubject"/>. Default <c>My</c>.</summary>
    public string StoreName { get; set; } = "My";

    /// <summary><c>Orleans:Tls:StoreLocation</c>: <c>CurrentUser</c> (default) or <c>LocalMachine</c>.</summary>
    public string StoreLocation { get; set; } = "CurrentUser";

    /// <summary><c>Orleans:Tls:AuthorityPath</c>: PEM file of the certificate authority peers' certificates must chain to. Empty: the system's roots.</summary>
    public string? AuthorityPath { get; set; }

    /// <summary><c>Orleans:Tls:PeerSubjects:N</c>: subjects (e.g. <c>CN=provisioning-silo</c>) a peer's certificate may carry.</summary>
    public List<string> PeerSubjects { get; set; } = [];

    /// <summary><c>Orleans:Tls:PeerThumbprints:N</c>: SHA-1 or SHA-256 thumbprints (hex) of peer certificates accepted as they are.</summary>
    public List<string> PeerThumbprints { get; set; } = [];

    /// <summary>
    /// <c>Orleans:Tls:AllowPlaintextBeyondLoopback</c>: lets a silo run <c>LoopbackPlaintext</c> on a non-loopback address
    /// (a private network that is protected some other way). Default false.
    /// </summary>
    public bool AllowPlaintextBeyondLoopback { get; set; }

    /// <summary><c>Orleans:Tls:HandshakeTimeout</c>: how long a TLS handshake may take. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
