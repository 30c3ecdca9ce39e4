using System.Net;
using Microsoft.Extensions.Options;

namespace Provisioning.ClusterSecurity;

/// <summary>Checks <c>Orleans:Tls</c> at start; every failure names the key to fix.</summary>
public sealed class ClusterTlsOptionsValidation(IPAddress? advertisedAddress) : IValidateOptions<ClusterTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options) =>
        Validate(options, advertisedAddress) is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;

    /// <summary>
    /// The failures of <paramref name="options"/>; <paramref name="advertisedAddress"/> is the silo's advertised address
    /// (null on a client), on which plaintext is refused unless it is a loopback address or explicitly allowed.
    /// </summary>
    public static List<string> Validate(ClusterTlsOptions options, IPAddress? advertisedAddress)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"Orleans:Tls:Mode must be Mutual or LoopbackPlaintext, not '{options.Mode}'.");
            return failures;
        }

        if (options.Mode == ClusterTlsMode.LoopbackPlaintext)
        {
            if (advertisedAddress is not null && !IPAddress.IsLoopback(advertisedAddress) && !options.AllowPlaintextBeyondLoopback)
            {
                failures.Add(
                    $"Orleans:Tls:Mode is LoopbackPlaintext but Orleans:AdvertisedIPAddress {advertisedAddress} is not a loopback address: " +
                    "anyone who reaches the Orleans ports could call grains. Configure mutual TLS (Orleans:Tls:CertificatePath, " +
                    "Orleans:Tls:AuthorityPath, Orleans:Tls:PeerSubjects; see docs/security.md), or set " +
                    "Orleans:Tls:AllowPlaintextBeyondLoopback=true for a network that is protected otherwise.");
            }

            return failures;
        }

        var hasFile = !string.IsNullOrWhiteSpace(options.CertificatePath);
        var hasStore = !string.IsNullOrWhiteSpace(options.StoreSubject);
        if (hasFile == hasStore)
        {
            failures.Add(
                "Orleans:Tls:Mode is Mutual (the default): set exactly one of Orleans:Tls:CertificatePath (a PEM or PFX file) and " +
                "Orleans:Tls:StoreSubject (a certificate in the store). For a cluster on loopback only, " +
                "Orleans:Tls:Mode=LoopbackPlaintext runs without TLS.");
        }

        if (hasStore && !Enum.TryParse<System.Security.Cryptography.X509Certificates.StoreLocation>(options.StoreLocation, true, out _))
        {
            failures.Add($"Orleans:Tls:StoreLocation must be CurrentUser or LocalMachine, not '{options.StoreLocation}'.");
        }

        if (options.PeerSubjects.All(string.IsNullOrWhiteSpace) && options.PeerThumbprints.All(string.IsNullOrWhiteSpace))
        {
            failures.Add(
                "Orleans:Tls:PeerSubjects and Orleans:Tls:PeerThumbprints are both empty: name the peers this host accepts " +
                "(e.g. Orleans:Tls:PeerSubjects:0=CN=provisioning-silo).");
        }

        if (options.PeerThumbprints.Any(t => !string.IsNullOrWhiteSpace(t) && PeerCertificateCheck.NormalizeThumbprint(t) is not { Length: 40 or 64 }))
        {
            failures.Add("Orleans:Tls:PeerThumbprints holds a value that is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.");
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Orleans:Tls:HandshakeTimeout must be positive, not {options.HandshakeTimeout}.");
        }

        return failures;
    }
}
