using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reconciliation;

/// <summary>The durable reminder runs passes by itself every <c>Stripe:ReconcileInterval</c>: an undelivered checkout is recovered with nobody asking.</summary>
public sealed class ReconciliationReminderTests : IAsyncLifetime
{
    private readonly ReconciliationSystem _fixture = new();

    public Task InitializeAsync()
    {
        _fixture.ExtraSiloSettings["Stripe__ReconcileInterval"] = "00:00:02";
        return _fixture.InitializeAsync();
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Reminder_CheckoutNeverDelivered_RecoveredByTheNextPass()
    {
        await _fixture.Stripe.SetEndpointAsync(dropDeliveries: true);
        var checkout = await _fixture.Stripe.CheckoutAsync("user_reminder", "agent_reminder");
        Assert.False(checkout.Delivered);

        await Eventually.UntilAsync(async () => (await _fixture.InboxAsync([checkout.EventId])).TryGetValue(checkout.EventId, out var row) && row.Jobs == 1,
            TimeSpan.FromSeconds(60), "the checkout recovered by a reminder's pass, with its job");

        var status = await _fixture.StatusAsync();
        Assert.True(status.Enabled);
        Assert.Contains(status.Passes, p => p is { Trigger: "reminder", Recovered: 1, Error: null });
        Assert.Equal(2, status.IntervalSeconds);
    }
}
