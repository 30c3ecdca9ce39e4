using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reconciliation;

/// <summary>A reconciliation setting the silo (or the Stripe simulator) cannot use stops it at start, naming the key.</summary>
public sealed class ReconciliationConfigurationTests
{
    [Theory]
    [InlineData("Stripe__ApiBase", "api.stripe.com", "Stripe:ApiBase")]
    [InlineData("Stripe__ReconcileInterval", "00:00:00", "Stripe:ReconcileInterval")]
    [InlineData("Stripe__ReconcileFirstLookBack", "45.00:00:00", "Stripe:ReconcileFirstLookBack")]
    [InlineData("Stripe__ReconcilePageSize", "500", "Stripe:ReconcilePageSize")]
    public async Task Silo_WithBadReconciliationSetting_ExitsNonZeroNamingTheKey(string variable, string value, string key)
    {
        await using var silo = HostProcess.Start("Silo", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Provisioning"] = "Host=127.0.0.1;Port=1;Username=postgres",
            ["Stripe__ApiKey"] = "sk_test_configuration",
            [variable] = value,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(key, silo.Output);
    }

    [Fact]
    public async Task StripeSimulator_WebhookUrlWithoutSecret_ExitsNonZeroNamingTheKey()
    {
        var start = StripeSimulatorProcess.StartAsync(new Dictionary<string, string?>
        {
            ["StripeSimulator__WebhookUrl"] = "http://127.0.0.1:1/api/webhooks/stripe",
            ["StripeSimulator__WebhookSecret"] = "",
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("StripeSimulator:WebhookSecret", failure.Message);
    }
}
