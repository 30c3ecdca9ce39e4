using Provisioning.StripeEvents;
using Provisioning.Subscriptions;
using Provisioning.Tests.Cluster;

namespace Provisioning.Tests.Grains;

[Collection(PostgresClusterCollection.Name)]
public sealed class SubscriptionGrainTests(PostgresClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ApplyAsync_OlderEventAfterNewer_KeepsTheNewerState()
    {
        var id = $"sub_{Guid.NewGuid():N}";
        var grain = fixture.Cluster.Client.GetGrain<ISubscriptionGrain>(id);

        await grain.ApplyAsync("evt_2", T0.AddMinutes(5), Change(id, "past_due", cancelAtPeriodEnd: true));
        var after = await grain.ApplyAsync("evt_1", T0, Change(id, "active", cancelAtPeriodEnd: false));

        Assert.Equal("past_due", after.Status);
        Assert.True(after.CancelAtPeriodEnd);
        Assert.Equal("evt_2", after.LastEventId);
        Assert.Equal("cus_1", after.CustomerId);
    }

    [Fact]
    public async Task ApplyAsync_PaymentOutcomes_OlderInvoiceDoesNotOverwrite()
    {
        var id = $"sub_{Guid.NewGuid():N}";
        var grain = fixture.Cluster.Client.GetGrain<ISubscriptionGrain>(id);

        await grain.ApplyAsync("evt_fail", T0.AddDays(30), new SubscriptionChange(id, null, "cus_1", null, null, null, "failed"));
        await grain.ApplyAsync("evt_paid", T0, new SubscriptionChange(id, null, "cus_1", null, null, null, "paid"));

        var state = await grain.GetAsync();
        Assert.Equal("failed", state?.LastPaymentOutcome);
        Assert.Equal(T0.AddDays(30), state?.LastPaymentAt);
    }

    [Fact]
    public async Task ApplyAsync_NewerEvent_Overwrites()
    {
        var id = $"sub_{Guid.NewGuid():N}";
        var grain = fixture.Cluster.Client.GetGrain<ISubscriptionGrain>(id);

        await grain.ApplyAsync("evt_1", T0, Change(id, "active", false));
        var after = await grain.ApplyAsync("evt_2", T0.AddSeconds(1), Change(id, "canceled", false));

        Assert.Equal("canceled", after.Status);
    }

    [Fact]
    public async Task GetAsync_Unknown_ReturnsNull() =>
        Assert.Null(await fixture.Cluster.Client.GetGrain<ISubscriptionGrain>($"sub_{Guid.NewGuid():N}").GetAsync());

    private static SubscriptionChange Change(string id, string status, bool cancelAtPeriodEnd) =>
        new(id, status, "cus_1", "price_1", T0.AddDays(30), cancelAtPeriodEnd, null);
}
