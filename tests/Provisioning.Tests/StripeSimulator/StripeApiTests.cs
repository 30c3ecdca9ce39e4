using System.Net;
using Provisioning.Grains.StripeReconciliation;
using Provisioning.Tests.Infrastructure;
using Stripe;

namespace Provisioning.Tests.StripeSimulator;

/// <summary>The simulator's Stripe API as Stripe.net (the client the reconciler uses) sees it.</summary>
[Collection(StripeSimulatorCollection.Name)]
public sealed class StripeApiTests(StripeSimulatorFixture fixture) : IAsyncLifetime
{
    private StripeSimulatorProcess Simulator => fixture.Simulator;

    public Task InitializeAsync() => Simulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ListAutoPaging_SeveralPages_EveryEventNewestFirstOnePagePerRequest()
    {
        var baseTime = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var created = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            created.Add((await Simulator.CheckoutAsync($"user_{i}", $"agent_{i}", baseTime + i, deliver: false)).EventId);
        }

        var listed = new List<Event>();
        await foreach (var e in new EventService(fixture.Client()).ListAutoPagingAsync(new EventListOptions { Limit = 10 }))
        {
            listed.Add(e);
        }

        Assert.Equal(Enumerable.Reverse(created), listed.Select(e => e.Id));
        Assert.All(listed, e => Assert.Equal("checkout.session.completed", e.Type));
        Assert.All(listed, e => Assert.Contains("\"userId\"", e.RawJsonElement!.Value.GetRawText()));
        var pages = (await Simulator.GetRequestsAsync()).Where(r => r.PathAndQuery.StartsWith("/v1/events", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pages.Count);
        Assert.Contains($"starting_after={created[15]}", pages[1].PathAndQuery);
        Assert.Contains($"starting_after={created[5]}", pages[2].PathAndQuery);
    }

    [Fact]
    public async Task List_CreatedTypesAndDeliverySuccess_OnlyMatchingEvents()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var old = await Simulator.CheckoutAsync("user_old", "agent_old", now - 3600, deliver: false);
        var recent = await Simulator.CheckoutAsync("user_new", "agent_new", now - 60, deliver: false);
        var service = new EventService(fixture.Client());

        var since = await service.ListAsync(new EventListOptions
        {
            Created = new DateRangeOptions { GreaterThanOrEqual = DateTimeOffset.FromUnixTimeSeconds(now - 600).UtcDateTime },
            Types = ["checkout.session.completed", "invoice.paid"],
            DeliverySuccess = false,
        });
        Assert.Equal([recent.EventId], since.Data.Select(e => e.Id));
        Assert.False(since.HasMore);

        var before = await service.ListAsync(new EventListOptions
        {
            Created = new DateRangeOptions { LessThan = DateTimeOffset.FromUnixTimeSeconds(now - 600).UtcDateTime },
        });
        Assert.Equal([old.EventId], before.Data.Select(e => e.Id));

        var otherType = await service.ListAsync(new EventListOptions { Types = ["invoice.paid"] });
        Assert.Empty(otherType.Data);

        var delivered = await service.ListAsync(new EventListOptions { DeliverySuccess = true });
        Assert.Empty(delivered.Data);
    }

    [Fact]
    public async Task List_EndingBefore_ThePageJustNewerThanTheCursor()
    {
        var baseTime = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await Simulator.CheckoutAsync($"user_{i}", $"agent_{i}", baseTime + i, deliver: false)).EventId);
        }

        var page = await new EventService(fixture.Client()).ListAsync(new EventListOptions { EndingBefore = ids[1], Limit = 2 });

        Assert.Equal([ids[3], ids[2]], page.Data.Select(e => e.Id));
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task List_WrongKey_Unauthorized()
    {
        var failure = await Assert.ThrowsAsync<StripeException>(
            () => new EventService(fixture.Client("sk_test_wrong_key_123456")).ListAsync(new EventListOptions()));

        Assert.Equal(HttpStatusCode.Unauthorized, failure.HttpStatusCode);
        Assert.Contains("Invalid API Key", failure.Message);
    }

    [Fact]
    public async Task List_RateLimited_429WithRetryAfterStripeNetExposes()
    {
        await Simulator.AddFaultAsync(429, times: 1, retryAfterSeconds: 7);

        var failure = await Assert.ThrowsAsync<StripeException>(
            () => new EventService(fixture.Client()).ListAsync(new EventListOptions()));

        Assert.Equal(HttpStatusCode.TooManyRequests, failure.HttpStatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), StripeEventSource.RetryAfter(failure));
        Assert.Empty((await new EventService(fixture.Client()).ListAsync(new EventListOptions())).Data);
    }

    [Fact]
    public async Task GetWebhookEndpoint_DisabledByTheKnob_StatusDisabled()
    {
        var service = new WebhookEndpointService(fixture.Client());
        Assert.Equal("enabled", (await service.GetAsync(StripeSimulatorProcess.EndpointId)).Status);

        await Simulator.SetEndpointAsync(status: "disabled");

        Assert.Equal("disabled", (await service.GetAsync(StripeSimulatorProcess.EndpointId)).Status);
        var missing = await Assert.ThrowsAsync<StripeException>(() => service.GetAsync("we_nope"));
        Assert.Equal(HttpStatusCode.NotFound, missing.HttpStatusCode);
    }
}
