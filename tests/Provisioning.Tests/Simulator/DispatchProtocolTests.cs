using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.Tests.Simulator;

/// <summary>The simulator answers workflow_dispatch as GitHub does: authentication, repository, workflow, body, run details.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class DispatchProtocolTests(SimulatorFixture fixture) : IAsyncLifetime
{
    private readonly string _jobId = $"evt_{Guid.NewGuid():N}";

    public Task InitializeAsync() => fixture.Simulator.ClearAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Dispatch_WithoutAuthorization_Answers401()
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath(), authorization: null));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("Requires authentication", answer.Message);
        Assert.Equal("401", answer.Body!.Value.GetProperty("status").GetString());
        Assert.Equal("https://docs.github.com/rest", answer.Body!.Value.GetProperty("documentation_url").GetString());
    }

    [Theory]
    [InlineData("Bearer ghp_someoneElsesToken")]
    [InlineData("token ghp_someoneElsesToken")]
    [InlineData("Bearer")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Dispatch_WithWrongCredentials_Answers401BadCredentials(string authorization)
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath(), authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("Bad credentials", answer.Message);
        Assert.Null((await fixture.Simulator.GetRequestsAsync(_jobId)).Single().RunId);
    }

    [Fact]
    public async Task Dispatch_WithTokenScheme_Answers204()
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath(), $"token {GitHubRequests.Token}"));

        Assert.Equal(HttpStatusCode.NoContent, answer.Status);
    }

    [Fact]
    public async Task Dispatch_WithoutUserAgent_Answers403LikeGitHubsEdge()
    {
        var request = GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath());
        request.Headers.UserAgent.Clear();

        var answer = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("User-Agent", await answer.Response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("acme", "agent-infra", "deploy.yml")]
    [InlineData("acme", "other-repo", GitHubRequests.Workflow)]
    [InlineData("someone-else", "agent-infra", GitHubRequests.Workflow)]
    public async Task Dispatch_UnknownWorkflowOrRepository_Answers404(string owner, string repo, string workflow)
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath("", owner, repo, workflow)));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("Not Found", answer.Message);
        Assert.Equal("https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event",
            answer.Body!.Value.GetProperty("documentation_url").GetString());
    }

    [Fact]
    public async Task Dispatch_OwnerInOtherCase_IsServed()
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath("", "ACME", "Agent-Infra")));

        Assert.Equal(HttpStatusCode.NoContent, answer.Status);
    }

    [Theory]
    [InlineData("job_id")]
    [InlineData("agent_id")]
    [InlineData("region")]
    [InlineData("callback_url")]
    [InlineData("attempt")]
    public async Task Dispatch_MissingInput_Answers422RequiredInput(string input)
    {
        var body = GitHubRequests.Body(_jobId);
        body["inputs"]!.AsObject().Remove(input);

        var answer = await SendAsync(GitHubRequests.Dispatch(body, GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal($"Required input '{input}' not provided", answer.Message);
    }

    [Fact]
    public async Task Dispatch_UnknownInputs_Answers422UnexpectedInputs()
    {
        var body = GitHubRequests.Body(_jobId);
        body["inputs"]!["distinct_id"] = "x";
        body["inputs"]!["debug"] = "true";

        var answer = await SendAsync(GitHubRequests.Dispatch(body, GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("Unexpected inputs provided: [\"distinct_id\", \"debug\"]", answer.Message);
    }

    [Fact]
    public async Task Dispatch_MissingRef_Answers422()
    {
        var body = GitHubRequests.Body(_jobId);
        body.Remove("ref");

        var answer = await SendAsync(GitHubRequests.Dispatch(body, GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("Invalid request.\n\n\"ref\" wasn't supplied.", answer.Message);
    }

    [Fact]
    public async Task Dispatch_InputsAtTopLevel_Answers422NamingKeysAndRef()
    {
        var body = new JsonObject { ["job_id"] = _jobId, ["attempt"] = "1" };

        var answer = await SendAsync(GitHubRequests.Dispatch(body, GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("Invalid request.\n\n\"job_id\", \"attempt\" are not permitted keys.\n\"ref\" wasn't supplied.", answer.Message);
    }

    [Fact]
    public async Task Dispatch_NumberInput_Answers422()
    {
        var body = GitHubRequests.Body(_jobId);
        body["inputs"]!["attempt"] = 1;

        var answer = await SendAsync(GitHubRequests.Dispatch(body, GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("Invalid request.\n\nFor 'properties/inputs/attempt', 1 is not a string.", answer.Message);
    }

    [Fact]
    public async Task Dispatch_MalformedJson_Answers400ProblemsParsingJson()
    {
        var answer = await SendAsync(GitHubRequests.Dispatch("{\"ref\": ", GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Problems parsing JSON", answer.Message);
    }

    [Fact]
    public async Task Dispatch_WithRunDetails_Answers200WithRunUrls()
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId, returnRunDetails: true), GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var runId = answer.Body!.Value.GetProperty("workflow_run_id").GetInt64();
        Assert.True(runId >= 100_000, $"run id {runId}");
        var origin = fixture.Simulator.BaseUrl.ToString().TrimEnd('/');
        Assert.Equal($"{origin}/repos/acme/agent-infra/actions/runs/{runId}", answer.Body!.Value.GetProperty("run_url").GetString());
        Assert.Equal($"{origin}/acme/agent-infra/actions/runs/{runId}", answer.Body!.Value.GetProperty("html_url").GetString());
        Assert.Equal(runId, (await fixture.Simulator.GetRequestsAsync(_jobId)).Single().RunId);
    }

    [Fact]
    public async Task Dispatch_WithoutRunDetails_Answers204AndCreatesRun()
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId), GitHubRequests.DispatchPath()));

        Assert.Equal(HttpStatusCode.NoContent, answer.Status);
        Assert.Equal(0, answer.Response.Content.Headers.ContentLength ?? 0);
        var runId = (await fixture.Simulator.GetRequestsAsync(_jobId)).Single().RunId;
        Assert.NotNull(runId);
        var run = await SendAsync(GitHubRequests.Get($"/repos/acme/agent-infra/actions/runs/{runId}"));
        Assert.Equal(HttpStatusCode.OK, run.Status);
    }

    [Fact]
    public async Task Dispatch_Twice_CreatesTwoRunsWithIncreasingIds()
    {
        var first = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId, returnRunDetails: true), GitHubRequests.DispatchPath()));
        var second = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId, returnRunDetails: true), GitHubRequests.DispatchPath()));

        Assert.True(second.Body!.Value.GetProperty("workflow_run_id").GetInt64() > first.Body!.Value.GetProperty("workflow_run_id").GetInt64());
    }

    [Fact]
    public async Task Dispatch_UnderApiV3Prefix_AnswersWithEnterpriseRunUrl()
    {
        var answer = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId, returnRunDetails: true), GitHubRequests.DispatchPath("/api/v3")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var runId = answer.Body!.Value.GetProperty("workflow_run_id").GetInt64();
        var origin = fixture.Simulator.BaseUrl.ToString().TrimEnd('/');
        Assert.Equal($"{origin}/api/v3/repos/acme/agent-infra/actions/runs/{runId}", answer.Body!.Value.GetProperty("run_url").GetString());
        Assert.Equal($"{origin}/acme/agent-infra/actions/runs/{runId}", answer.Body!.Value.GetProperty("html_url").GetString());
    }

    [Fact]
    public async Task GetRun_AtRunUrl_AnswersQueuedWorkflowDispatchRun()
    {
        var dispatched = await SendAsync(GitHubRequests.Dispatch(GitHubRequests.Body(_jobId, returnRunDetails: true), GitHubRequests.DispatchPath("/api/v3")));
        var runUrl = dispatched.Body!.Value.GetProperty("run_url").GetString()!;

        var run = await SendAsync(GitHubRequests.Get(runUrl));

        Assert.Equal(HttpStatusCode.OK, run.Status);
        var body = run.Body!.Value;
        Assert.Equal(dispatched.Body!.Value.GetProperty("workflow_run_id").GetInt64(), body.GetProperty("id").GetInt64());
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("conclusion").ValueKind);
        Assert.Equal("workflow_dispatch", body.GetProperty("event").GetString());
        Assert.Equal("main", body.GetProperty("head_branch").GetString());
        Assert.Equal(".github/workflows/provision-agent.yml", body.GetProperty("path").GetString());
        Assert.Equal(runUrl, body.GetProperty("url").GetString());
        Assert.Equal(dispatched.Body!.Value.GetProperty("html_url").GetString(), body.GetProperty("html_url").GetString());
    }

    [Fact]
    public async Task GetRun_UnknownId_Answers404()
    {
        var run = await SendAsync(GitHubRequests.Get("/repos/acme/agent-infra/actions/runs/42"));

        Assert.Equal(HttpStatusCode.NotFound, run.Status);
        Assert.Equal("Not Found", run.Message);
    }

    [Fact]
    public async Task UnknownEndpoint_Answers404InGitHubsShape()
    {
        var answer = await SendAsync(GitHubRequests.Get("/repos/acme/agent-infra/actions/workflows"));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("Not Found", answer.Message);
    }

    private Task<GitHubAnswer> SendAsync(HttpRequestMessage request) => GitHubAnswer.SendAsync(fixture.Http, request);
}
