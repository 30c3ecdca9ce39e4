using Provisioning.Tests.Infrastructure;
using Stripe;

namespace Provisioning.Tests.StripeSimulator;

/// <summary>One Stripe simulator process for the collection, and a Stripe.net client pointed at it.</summary>
public sealed class StripeSimulatorFixture : IAsyncLifetime
{
    public StripeSimulatorProcess Simulator { get; private set; } = null!;

    public StripeClient Client(string apiKey = StripeSimulatorProcess.ApiKey) =>
        new(apiKey: apiKey, apiBase: Simulator.BaseUrl.ToString().TrimEnd('/'));

    public async Task InitializeAsync() => Simulator = await StripeSimulatorProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StripeSimulatorCollection : ICollectionFixture<StripeSimulatorFixture>
{
    public const string Name = "Stripe simulator";
}
