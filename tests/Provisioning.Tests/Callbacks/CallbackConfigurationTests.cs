using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Callbacks;

/// <summary>The gateway refuses to start without a usable callback secret, or with an unusable operator key, and names the key.</summary>
public sealed class CallbackConfigurationTests
{
    [Theory]
    [InlineData(null, "Callbacks:Secrets is not set")]
    [InlineData("whsec_c2hvcnQ=", "Callbacks:Secrets:0 is not a Standard Webhooks secret")]
    public async Task Gateway_WithoutUsableCallbackSecret_ExitsNamingTheKey(string? secret, string expected)
    {
        await using var gateway = StartGateway(new Dictionary<string, string?> { ["Callbacks__Secrets__0"] = secret });

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, gateway.Output);
    }

    [Fact]
    public async Task Gateway_WithShortOperatorKey_ExitsNamingTheKey()
    {
        await using var gateway = StartGateway(new Dictionary<string, string?>
        {
            ["Callbacks__Secrets__0"] = TestSecrets.CallbackSecret,
            ["Gateway__OperatorKeys__carol"] = "short",
        });

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("Gateway:OperatorKeys:carol is not a usable operator key", gateway.Output);
    }

    [Fact]
    public async Task Gateway_WithOnlyTheOriginalAppsHexCallbackSecret_StartsAndServes()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = StartGateway(new Dictionary<string, string?>
        {
            // The original app's advice: openssl rand -hex 32. Hex digits are base64 too, so it is a usable key.
            ["GITHUB_CALLBACK_SECRET"] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        }, url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };

        await Eventually.UntilAsync(async () => (await http.GetAsync("/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the gateway's /healthz");

        Assert.False(gateway.HasExited);
    }

    private static HostProcess StartGateway(Dictionary<string, string?> settings, string? url = null)
    {
        // No callback secret unless the test gives one.
        var environment = new Dictionary<string, string?> { ["Callbacks__Secrets__0"] = null, ["GITHUB_CALLBACK_SECRET"] = null };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return GatewayWithoutCluster.Start(environment, url);
    }
}
