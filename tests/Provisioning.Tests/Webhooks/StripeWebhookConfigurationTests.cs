using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Webhooks;

/// <summary>The gateway refuses to start without a Stripe webhook secret, or with limits that admit nothing, and names the key to set.</summary>
public sealed class StripeWebhookConfigurationTests
{
    [Fact]
    public async Task Gateway_WithoutWebhookSecret_ExitsNamingTheKey()
    {
        await using var gateway = GatewayWithoutCluster.Start(new Dictionary<string, string?>
        {
            ["Stripe__WebhookSecrets__0"] = null,
            ["Stripe__WebhookSecrets__1"] = null,
            ["STRIPE_WEBHOOK_SECRET"] = null,
        });

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("Stripe:WebhookSecrets", gateway.Output);
    }

    [Fact]
    public async Task Gateway_WithNoRoomForDeliveries_ExitsNamingTheKey()
    {
        await using var gateway = GatewayWithoutCluster.Start(new Dictionary<string, string?>
        {
            ["Stripe__MaxConcurrentDeliveries"] = "0",
            ["Stripe__MaxQueuedDeliveries"] = "-1",
        });

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: Stripe:MaxConcurrentDeliveries must be at least 1", gateway.Output);
        Assert.Contains("configuration error: Stripe:MaxQueuedDeliveries must be 0 or more", gateway.Output);
    }
}
