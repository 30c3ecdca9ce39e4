using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Dashboard;

/// <summary>The dashboard's settings (<c>Gateway:Dashboard</c>) are checked when the gateway starts.</summary>
public sealed class DashboardConfigurationTests
{
    [Theory]
    [InlineData("Gateway__Dashboard__LivePollInterval", "00:00:00.010", "Gateway:Dashboard:LivePollInterval must be from 00:00:00.1 to 00:01:00")]
    [InlineData("Gateway__Dashboard__WaitingAttentionAfter", "-00:01:00", "Gateway:Dashboard:WaitingAttentionAfter must be a positive time span")]
    [InlineData("Gateway__Dashboard__AttentionRefreshInterval", "00:00:00.500", "Gateway:Dashboard:AttentionRefreshInterval (00:00:00.5000000) must be at least")]
    public async Task Gateway_DashboardSettingOutOfRange_ExitsNamingTheSetting(string key, string value, string message)
    {
        await using var gateway = GatewayWithoutCluster.Start(new Dictionary<string, string?>
        {
            [key] = value,
            ["Callbacks__Secrets__0"] = TestSecrets.CallbackSecret,
            [$"Gateway__OperatorKeys__{TestSecrets.OperatorName}"] = TestSecrets.OperatorKey,
        });

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains(message, gateway.Output);
    }
}
