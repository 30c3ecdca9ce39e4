using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Simulator;

/// <summary>The request log: every GitHub-facing request in order, with time, headers, body, fault, answer and run, never the token.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class RequestLogTests(SimulatorFixture fixture) : IAsyncLifetime
{
    private readonly string _jobId = $"evt_{Guid.NewGuid():N}";

    public Task InitializeAsync() => fixture.Simulator.ClearAsync();

    public Task DisposeAsync() => fixture.Simulator.ClearAsync();

    [Fact]
    public async Task Requests_AfterDispatches_AreLoggedInOrderWithTimeHeadersBodyAndAnswer()
    {
        await fixture.Simulator.AddFaultAsync(new SimulatorFault("status", Status: 503));
        var before = DateTimeOffset.UtcNow;

        var faulted = await DispatchAsync(returnRunDetails: true);
        var succeeded = await DispatchAsync(returnRunDetails: true);
        var after = DateTimeOffset.UtcNow;

        var logged = await fixture.Simulator.GetRequestsAsync();
        Assert.Equal(2, logged.Count);
        Assert.True(logged[0].Sequence < logged[1].Sequence);
        Assert.True(logged[0].ReceivedAt <= logged[1].ReceivedAt);
        Assert.All(logged, r =>
        {
            Assert.InRange(r.ReceivedAt, before.AddMilliseconds(-1), after);
            Assert.Equal(0, r.ReceivedAt.Ticks % TimeSpan.TicksPerMillisecond);
            Assert.Equal(TimeSpan.Zero, r.ReceivedAt.Offset);
            Assert.Equal("POST", r.Method);
            Assert.Equal("/repos/acme/agent-infra/actions/workflows/provision-agent.yml/dispatches", r.Path);
            Assert.Equal("Bearer", r.Authorization);
            Assert.Equal("2022-11-28", r.ApiVersion);
            Assert.Equal("application/vnd.github+json", r.Accept);
            Assert.Equal("Provisioning.Tests/1.0", r.UserAgent);
            Assert.Equal(_jobId, r.JobId);
            Assert.Equal(_jobId, r.Body!.Value.GetProperty("inputs").GetProperty("job_id").GetString());
            Assert.True(r.CompletedAt >= r.ReceivedAt);
        });
        Assert.Equal((503, "status", (long?)null), (logged[0].Status, logged[0].Fault?.Kind, logged[0].RunId));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.Status);
        Assert.Equal((200, (string?)null), (logged[1].Status, logged[1].Fault?.Kind));
        Assert.Equal(succeeded.Body!.Value.GetProperty("workflow_run_id").GetInt64(), logged[1].RunId);
    }

    [Fact]
    public async Task Requests_WithTokens_NeverShowTheToken()
    {
        await DispatchAsync();
        await GitHubAnswer.SendAsync(fixture.Http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath(), "token ghp_wrongTokenThatMustNotLeak"));
        await GitHubAnswer.SendAsync(fixture.Http, GitHubRequests.Dispatch(
            GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath(), "ghp_tokenWithoutScheme"));

        using var response = await fixture.Simulator.Control.GetAsync("/_simulator/requests");
        var log = await response.Content.ReadAsStringAsync();

        Assert.Equal(3, JsonDocument.Parse(log).RootElement.GetArrayLength());
        Assert.Equal(["Bearer", "token", "unrecognized"], (await fixture.Simulator.GetRequestsAsync(_jobId)).Select(r => r.Authorization));
        await Eventually.UntilAsync(
            () => Task.FromResult(fixture.Simulator.Process.Output.Split('\n').Count(line => line.Contains(_jobId, StringComparison.Ordinal)) == 3),
            TimeSpan.FromSeconds(10), "a line per request in the simulator's output");
        foreach (var secret in new[] { GitHubRequests.Token, "ghp_wrongTokenThatMustNotLeak", "ghp_tokenWithoutScheme" })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, fixture.Simulator.Process.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Requests_FilteredByJob_ShowOnlyThatJob()
    {
        var otherJob = $"evt_{Guid.NewGuid():N}";
        await DispatchAsync();
        await DispatchAsync(otherJob);
        await DispatchAsync();

        var logged = await fixture.Simulator.GetRequestsAsync(_jobId);

        Assert.Equal(2, logged.Count);
        Assert.All(logged, r => Assert.Equal(_jobId, r.JobId));
        Assert.Equal(3, (await fixture.Simulator.GetRequestsAsync()).Count);
    }

    [Fact]
    public async Task Requests_UnparsableBodyAndRunLookup_AreLoggedToo()
    {
        await GitHubAnswer.SendAsync(fixture.Http, GitHubRequests.Dispatch("not json", GitHubRequests.DispatchPath()));
        await GitHubAnswer.SendAsync(fixture.Http, GitHubRequests.Get("/api/v3/repos/acme/agent-infra/actions/runs/7"));

        var logged = await fixture.Simulator.GetRequestsAsync();

        Assert.Equal(2, logged.Count);
        Assert.Equal(("not json", 400), (logged[0].Body!.Value.GetString(), logged[0].Status));
        Assert.Equal(("GET", "/api/v3/repos/acme/agent-infra/actions/runs/7", 404), (logged[1].Method, logged[1].Path, logged[1].Status));
        Assert.Null(logged[1].Body);
    }

    [Fact]
    public async Task DeleteRequests_AfterDispatch_EmptiesTheLog()
    {
        await DispatchAsync();
        Assert.NotEmpty(await fixture.Simulator.GetRequestsAsync());

        using var response = await fixture.Simulator.Control.DeleteAsync("/_simulator/requests");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await fixture.Simulator.GetRequestsAsync());
    }

    [Fact]
    public async Task ControlRequests_AreNotLogged()
    {
        await fixture.Simulator.Control.GetAsync("/_simulator/health");
        await fixture.Simulator.GetFaultsAsync();

        Assert.Empty(await fixture.Simulator.GetRequestsAsync());
    }

    private Task<GitHubAnswer> DispatchAsync(string? jobId = null, bool returnRunDetails = false) =>
        GitHubAnswer.SendAsync(
            fixture.Http,
            GitHubRequests.Dispatch(GitHubRequests.Body(jobId ?? _jobId, returnRunDetails), GitHubRequests.DispatchPath()));
}
