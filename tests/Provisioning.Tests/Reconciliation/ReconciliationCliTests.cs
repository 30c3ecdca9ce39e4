using Provisioning.Tests.Cli;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reconciliation;

/// <summary>
/// <c>provisioning trigger checkout --via-stripe-simulator</c> while the endpoint is down, then
/// <c>provisioning stripe reconcile</c>: the dropped checkout becomes its job.
/// </summary>
public sealed class ReconciliationCliTests(ReconciliationSystem fixture) : IClassFixture<ReconciliationSystem>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TriggerViaSimulatorWhileDropped_ThenStripeReconcile_CheckoutRecoveredAsItsJob()
    {
        await fixture.Stripe.SetEndpointAsync(dropDeliveries: true);

        var trigger = await RunAsync("trigger", "checkout", "--user", "user_cli_recon", "--agent", "agent_cli_recon",
            "--via-stripe-simulator", fixture.Stripe.BaseUrl.ToString());
        Assert.True(trigger.ExitCode == 0, trigger.ToString());
        var jobId = trigger.Stdout.Trim();
        Assert.StartsWith("evt_", jobId);
        Assert.Contains("not delivered", trigger.Stderr);
        Assert.Empty(await fixture.InboxAsync([jobId]));

        var reconcile = await RunAsync("stripe", "reconcile", "--since", "1h", "--operator-key", TestSecrets.OperatorKey);

        Assert.True(reconcile.ExitCode == 0, reconcile.ToString());
        Assert.Contains("1 recovered", reconcile.Stdout);
        Assert.Equal(1, (await fixture.InboxAsync([jobId]))[jobId].Jobs);
    }

    [Fact]
    public async Task StripeReconcile_SinceBeyondThirtyDays_RefusedAndNothingListed()
    {
        var reconcile = await RunAsync("stripe", "reconcile", "--since", "40d", "--operator-key", TestSecrets.OperatorKey);

        Assert.NotEqual(0, reconcile.ExitCode);
        Assert.Contains("30 days", reconcile.Stderr);
        Assert.Empty(await fixture.Stripe.GetRequestsAsync());
    }

    private Task<CliRun> RunAsync(params string[] args) =>
        CliProcess.RunAsync(Path.GetTempPath(), new Dictionary<string, string?> { ["PROVISIONING_GATEWAY"] = fixture.System.GatewayUrl.ToString() }, null, args);
}
