using System.Diagnostics;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// The cluster's mutual TLS certificates for the test processes, made once per test run by the same script
/// <c>./run.sh</c> uses (<c>scripts/cluster-certs.sh</c>), in a folder removed when the test run ends. A second, foreign set
/// (its own authority, the same subjects) stands for someone who made certificates that look right.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<string> Cluster = new(() => Make("cluster"));
    private static readonly Lazy<string> Foreign = new(() => Make("foreign"));

    /// <summary>Settings (environment variable names) for a silo of the cluster: it accepts silos and the gateway.</summary>
    public static Dictionary<string, string?> SiloSettings() => Settings(Cluster.Value, "silo", "CN=provisioning-silo", "CN=provisioning-gateway");

    /// <summary>Settings (environment variable names) for the gateway: it accepts silos only.</summary>
    public static Dictionary<string, string?> GatewaySettings() => Settings(Cluster.Value, "gateway", "CN=provisioning-silo");

    /// <summary>A client's settings with the right subject but from a different authority.</summary>
    public static Dictionary<string, string?> ForeignGatewaySettings() => Settings(Foreign.Value, "gateway", "CN=provisioning-silo");

    /// <summary>The same settings with <c>:</c> separated keys, for an in-process host's configuration.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsConfiguration(this Dictionary<string, string?> settings) =>
        settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":"), s.Value));

    private static Dictionary<string, string?> Settings(string dir, string name, params string[] peers)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans__Tls__Mode"] = "Mutual",
            ["Orleans__Tls__CertificatePath"] = Path.Combine(dir, $"{name}.pem"),
            ["Orleans__Tls__KeyPath"] = Path.Combine(dir, $"{name}.key"),
            ["Orleans__Tls__AuthorityPath"] = Path.Combine(dir, "ca.pem"),
        };
        for (var i = 0; i < peers.Length; i++)
        {
            settings[$"Orleans__Tls__PeerSubjects__{i}"] = peers[i];
        }

        return settings;
    }

    private static string Make(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"provisioning-certs-{Environment.ProcessId}-{name}");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "cluster-certs.sh"));
        start.ArgumentList.Add(dir);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/cluster-certs.sh failed ({process.ExitCode}): {errors}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        return dir;
    }
}
