using System.Diagnostics;
using System.Net;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Simulator;

/// <summary>The simulator's own settings: each test starts its own process.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class SimulatorConfigurationTests
{
    private readonly string _jobId = $"evt_{Guid.NewGuid():N}";

    [Fact]
    public async Task Start_WithoutSettings_ReadyWellWithinFiveSeconds()
    {
        var clock = Stopwatch.StartNew();
        await using var simulator = await ActionsSimulatorProcess.StartAsync(readyTimeout: TimeSpan.FromSeconds(5));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"ready after {clock.Elapsed}");
        Assert.Contains("token Simulator:Token only", simulator.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(simulator.Token, simulator.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_NoRepositoryConfigured_AcceptsAnyRepositoryWithTheTokenOnly()
    {
        await using var simulator = await ActionsSimulatorProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        var answer = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath("", "any-owner", "any-repo"), $"Bearer {simulator.Token}"));
        var otherToken = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath(), "Bearer anything"));
        var withoutToken = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath(), authorization: null));

        Assert.Equal(HttpStatusCode.NoContent, answer.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, otherToken.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.Status);
    }

    [Fact]
    public async Task Start_WithoutToken_ExitsNamingTheKey()
    {
        await using var process = HostProcess.StartAssembly(ActionsSimulatorProcess.AssemblyPath, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
        }, "actions-simulator");

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: Simulator:Token is required", process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS", "http://0.0.0.0:{0}")]
    [InlineData("ASPNETCORE_URLS", "http://127.0.0.1:{0};http://*:{0}")]
    [InlineData("ASPNETCORE_URLS", "http://simulator.example.com:{0}")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "{0}")]
    public async Task Start_AddressBeyondLoopbackNotAskedFor_ExitsWithoutListening(string key, string template)
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Simulator__Token"] = ActionsSimulatorProcess.DefaultToken,
            [key] = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, port),
        };
        if (key != "ASPNETCORE_URLS")
        {
            settings["ASPNETCORE_URLS"] = null;
        }

        await using var process = HostProcess.StartAssembly(ActionsSimulatorProcess.AssemblyPath, settings, "actions-simulator");

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: the simulator would listen beyond loopback", process.Output, StringComparison.Ordinal);
        Assert.Contains("Simulator:ListenBeyondLoopback", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AllInterfacesAskedFor_ListensBeyondLoopback()
    {
        var port = FreePort.Next();
        await using var process = HostProcess.StartAssembly(ActionsSimulatorProcess.AssemblyPath, new Dictionary<string, string?>
        {
            ["Simulator__Token"] = ActionsSimulatorProcess.DefaultToken,
            ["Simulator__ListenBeyondLoopback"] = "true",
            ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}",
        }, "actions-simulator");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var health = await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync("/_simulator/health");
                    return (HttpStatusCode?)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return (HttpStatusCode?)null;
                }
            },
            status => status is not null, TimeSpan.FromSeconds(30), "the simulator on every interface");

        Assert.Equal(HttpStatusCode.OK, health);
    }

    [Fact]
    public async Task Start_WithoutAddress_ListensOnLoopbackOnly()
    {
        await using var process = HostProcess.StartAssembly(ActionsSimulatorProcess.AssemblyPath, new Dictionary<string, string?>
        {
            ["Simulator__Token"] = ActionsSimulatorProcess.DefaultToken,
            ["ASPNETCORE_URLS"] = null,
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["DOTNET_URLS"] = null,
        }, "actions-simulator");

        // It listens on 127.0.0.1:5090, or says it cannot when ./run.sh's simulator has that port: either way, loopback.
        await process.WaitForOutputAsync("127.0.0.1:5090", TimeSpan.FromSeconds(30));

        Assert.DoesNotContain("Now listening on: http://0.0.0.0", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening on: http://[::]", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_OtherWorkflowsAndFirstRunIdConfigured_ServesThoseOnly()
    {
        await using var simulator = await ActionsSimulatorProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator__Token"] = GitHubRequests.Token,
            ["Simulator__Workflows__0"] = "deploy.yml",
            ["Simulator__FirstRunId"] = "7000",
        });
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        var deploy = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId, returnRunDetails: true), GitHubRequests.DispatchPath(workflow: "deploy.yml")));
        var provision = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath()));

        Assert.Equal(7000, deploy.Body!.Value.GetProperty("workflow_run_id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, provision.Status);
    }

    [Fact]
    public async Task Dispatch_StandingFaultConfigured_AppliesFromStart()
    {
        await using var simulator = await ActionsSimulatorProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator__Token"] = GitHubRequests.Token,
            ["Simulator__Faults__0__Kind"] = "status",
            ["Simulator__Faults__0__Status"] = "503",
            ["Simulator__Faults__0__Times"] = "0",
        });
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        var first = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath()));
        var second = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath()));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (first.Status, second.Status));
        Assert.Null(Assert.Single(await simulator.GetFaultsAsync()).Remaining);
    }

    [Fact]
    public async Task Start_InvalidFaultConfigured_ExitsNamingTheKey()
    {
        await using var process = HostProcess.StartAssembly(ActionsSimulatorProcess.AssemblyPath, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Simulator__Faults__0__Kind"] = "flaky",
        }, "actions-simulator");

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error: Simulator:Faults:0:kind", process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Simulator__CallbackSecret", "whsec_not base64!", "Simulator:CallbackSecret must be")]
    [InlineData("Simulator__HeartbeatInterval", "00:00:00", "Simulator:HeartbeatInterval must be more than 0")]
    [InlineData("Simulator__CallbackTries", "0", "Simulator:CallbackTries must be at least 1")]
    [InlineData("Simulator__Behaviours__0__Kind", "explode", "Simulator:Behaviours:0:kind")]
    [InlineData("Simulator__CallbackUrl", "ftp://gateway.example.com/", "Simulator:CallbackUrl must be an absolute http(s) URL")]
    public async Task Start_InvalidRunPlayingSetting_ExitsNamingTheKey(string key, string value, string message)
    {
        await using var process = HostProcess.StartAssembly(ActionsSimulatorProcess.AssemblyPath, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
            [key] = value,
        }, "actions-simulator");

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Contains($"configuration error: {message}", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not base64!", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_NoCallbackSecret_RunStaysQueuedAndNothingCallsBack()
    {
        await using var simulator = await ActionsSimulatorProcess.StartAsync(new Dictionary<string, string?> { ["Simulator__Token"] = GitHubRequests.Token });
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };

        var answer = await GitHubAnswer.SendAsync(http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId, returnRunDetails: true), GitHubRequests.DispatchPath()));
        var runId = answer.Body!.Value.GetProperty("workflow_run_id").GetInt64();
        var run = await GitHubAnswer.SendAsync(http, GitHubRequests.Get($"/repos/{GitHubRequests.Owner}/{GitHubRequests.Repo}/actions/runs/{runId}"));

        Assert.Contains("Runs are not played (Simulator:CallbackSecret not set)", simulator.Process.Output, StringComparison.Ordinal);
        Assert.Equal("queued", run.Body!.Value.GetProperty("status").GetString());
        Assert.Empty(await simulator.GetCallbacksAsync());
    }

    [Fact]
    public async Task Start_CallbackSecretAndBehaviourConfigured_PlaysRunsWithThatBehaviourQueued()
    {
        const string secret = "whsec_c2ltdWxhdG9yLWNvbmZpZ3VyYXRpb24tdGVzdHM=";
        await using var simulator = await ActionsSimulatorProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator__CallbackSecret"] = secret,
            ["Simulator__CallbackUrl"] = "http://127.0.0.1:9/api/webhooks/github",
            ["Simulator__Behaviours__0__Kind"] = "silent",
            ["Simulator__Behaviours__0__JobId"] = _jobId,
        });

        var behaviour = Assert.Single(await simulator.GetBehavioursAsync());

        Assert.Equal(("silent", _jobId), (behaviour.Kind, behaviour.JobId));
        Assert.Contains("Runs are played", simulator.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], simulator.Process.Output, StringComparison.Ordinal);
    }
}
