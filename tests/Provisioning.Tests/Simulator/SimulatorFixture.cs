using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Simulator;

/// <summary>One simulator process for the collection, configured like a real repository: a token, an owner and a repository.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public ActionsSimulatorProcess Simulator { get; private set; } = null!;

    /// <summary>A client like a dispatcher's: no default headers, each request says what it sends.</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = await ActionsSimulatorProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator__Token"] = GitHubRequests.Token,
            ["Simulator__Owner"] = GitHubRequests.Owner,
            ["Simulator__Repo"] = GitHubRequests.Repo,
        });
        Http = new HttpClient { BaseAddress = Simulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatorCollection : ICollectionFixture<SimulatorFixture>
{
    public const string Name = "Actions simulator";
}
