namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// A gateway process with no cluster and no reachable database behind it: for what the gateway decides on its own (its
/// configuration checks at start, signature checks, the dashboard's sign-in).
/// </summary>
public static class GatewayWithoutCluster
{
    /// <summary>
    /// Starts the gateway on <paramref name="url"/> (a free loopback port by default) with the current Stripe webhook secret
    /// and <paramref name="settings"/> (environment variable names) on top; a null value unsets a variable.
    /// </summary>
    public static HostProcess Start(IDictionary<string, string?> settings, string? url = null)
    {
        var environment = new Dictionary<string, string?>(TestCertificates.GatewaySettings())
        {
            ["ConnectionStrings__Provisioning"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none",
            ["ASPNETCORE_URLS"] = url ?? $"http://127.0.0.1:{FreePort.Next()}",
            ["Stripe__WebhookSecrets__0"] = TestSecrets.StripeWebhookSecret,
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return HostProcess.Start("Gateway", environment);
    }
}
