namespace Provisioning.ClusterSecurity;

/// <summary>How silos and clients of the cluster protect the Orleans connections between them.</summary>
public enum ClusterTlsMode
{
    /// <summary>Mutual TLS: each side shows a certificate and accepts only the peers it is configured to expect.</summary>
    Mutual,

    /// <summary>
    /// Plain TCP without authentication, for a cluster that lives on one machine's loopback interface only. A silo refuses
    /// it on any other advertised address unless <see cref="ClusterTlsOptions.AllowPlaintextBeyondLoopback"/> is set.
    /// </summary>
    LoopbackPlaintext,
}
