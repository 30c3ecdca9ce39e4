using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Workflow;

namespace Provisioning.Tests.Simulator;

/// <summary>
/// A simulator that plays runs (a callback secret is set), with short heartbeats and provisioning so that tests are quick,
/// and a receiver standing in for the gateway that checks every callback's signature.
/// </summary>
public sealed class RunPlayerFixture : IAsyncLifetime
{
    public const string Secret = "whsec_c2ltdWxhdG9yLXJ1bi1wbGF5ZXItdGVzdHMta2V5LTAxMjM=";

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(300);

    public static readonly TimeSpan ProvisionDuration = TimeSpan.FromMilliseconds(1000);

    public ActionsSimulatorProcess Simulator { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public CallbackReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = CallbackReceiver.Start(Secret);
        Simulator = await ActionsSimulatorProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator__Token"] = GitHubRequests.Token,
            ["Simulator__Owner"] = GitHubRequests.Owner,
            ["Simulator__Repo"] = GitHubRequests.Repo,
            ["Simulator__CallbackSecret"] = Secret,
            ["Simulator__CallbackUrl"] = Receiver.Url.ToString(),
            ["Simulator__HeartbeatInterval"] = "00:00:00.300",
            ["Simulator__ProvisionDuration"] = "00:00:01",
            ["Simulator__PickupDelay"] = "00:00:00.100",
            ["Simulator__CallbackRetryDelay"] = "00:00:00.100",
            ["Simulator__CallbackTries"] = "3",
        });
        Http = new HttpClient { BaseAddress = Simulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Dispatches provision-agent.yml for a job with the receiver (or <paramref name="callbackUrl"/>) as callback URL; returns the run's id and web address.</summary>
    public async Task<(long RunId, string HtmlUrl)> DispatchAsync(
        string jobId, string attempt = "1", string agentId = "agent-7", string region = "eu-west", string? callbackUrl = null)
    {
        var body = GitHubRequests.Body(jobId, returnRunDetails: true);
        var inputs = body["inputs"]!;
        inputs["callback_url"] = callbackUrl ?? Receiver.Url.ToString();
        inputs["attempt"] = attempt;
        inputs["agent_id"] = agentId;
        inputs["region"] = region;
        var answer = await GitHubAnswer.SendAsync(Http, GitHubRequests.Dispatch(body, GitHubRequests.DispatchPath()));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return (answer.Body!.Value.GetProperty("workflow_run_id").GetInt64(), answer.Body.Value.GetProperty("html_url").GetString()!);
    }

    /// <summary>The run as <c>GET /repos/{owner}/{repo}/actions/runs/{id}</c> shows it: (status, conclusion).</summary>
    public async Task<(string? Status, string? Conclusion)> GetRunAsync(long runId)
    {
        var answer = await GitHubAnswer.SendAsync(Http, GitHubRequests.Get($"/repos/{GitHubRequests.Owner}/{GitHubRequests.Repo}/actions/runs/{runId}"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var run = answer.Body!.Value;
        return (run.GetProperty("status").GetString(), run.GetProperty("conclusion").ValueKind == JsonValueKind.Null ? null : run.GetProperty("conclusion").GetString());
    }

    /// <summary>Waits until the run is <c>completed</c>; returns its conclusion.</summary>
    public async Task<string?> WaitForRunEndAsync(long runId, TimeSpan? timeout = null) =>
        (await Eventually.UntilAsync(() => GetRunAsync(runId), run => run.Status == "completed", timeout ?? TimeSpan.FromSeconds(20),
            $"run {runId} to complete")).Conclusion;

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RunPlayerCollection : ICollectionFixture<RunPlayerFixture>
{
    public const string Name = "Actions simulator playing runs";
}
