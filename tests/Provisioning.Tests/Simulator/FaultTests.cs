using System.Diagnostics;
using System.Globalization;
using System.Net;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Simulator;

/// <summary>Each fault kind, its scope (times, job id) and its order in the queue.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class FaultTests(SimulatorFixture fixture) : IAsyncLifetime
{
    private readonly string _jobId = $"evt_{Guid.NewGuid():N}";

    private ActionsSimulatorProcess Simulator => fixture.Simulator;

    public Task InitializeAsync() => Simulator.ClearAsync();

    public Task DisposeAsync() => Simulator.ClearAsync();

    [Theory]
    [InlineData(500, "Server Error")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(503, "Service Unavailable")]
    public async Task StatusFault_NextDispatch_AnswersStatusOnceThenRecovers(int status, string message)
    {
        await Simulator.AddFaultAsync(new SimulatorFault("status", Status: status));

        var faulted = await DispatchAsync();
        var next = await DispatchAsync();

        Assert.Equal((HttpStatusCode)status, faulted.Status);
        Assert.Equal(message, faulted.Message);
        Assert.Equal(status.ToString(CultureInfo.InvariantCulture), faulted.Body!.Value.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NoContent, next.Status);
        Assert.Empty(await Simulator.GetFaultsAsync());
    }

    [Fact]
    public async Task StatusFault_WithMessage_AnswersThatMessage()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("status", Status: 404, Message: "Not Found"));

        var faulted = await DispatchAsync();

        Assert.Equal(HttpStatusCode.NotFound, faulted.Status);
        Assert.Equal("Not Found", faulted.Message);
    }

    [Fact]
    public async Task StatusFault_Times2_AppliesToTwoDispatches()
    {
        var queued = await Simulator.AddFaultAsync(new SimulatorFault("status", Times: 2, Status: 502));

        var answers = new[] { await DispatchAsync(), await DispatchAsync(), await DispatchAsync() };

        Assert.Equal(2, queued.Remaining);
        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.NoContent], answers.Select(a => a.Status));
    }

    [Fact]
    public async Task Faults_QueuedTwo_ApplyInOrder()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("status", Status: 500));
        await Simulator.AddFaultAsync(new SimulatorFault("status", Status: 503));

        var answers = new[] { await DispatchAsync(), await DispatchAsync(), await DispatchAsync() };

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.ServiceUnavailable, HttpStatusCode.NoContent], answers.Select(a => a.Status));
    }

    [Fact]
    public async Task Fault_Times0_AppliesUntilCleared()
    {
        var queued = await Simulator.AddFaultAsync(new SimulatorFault("status", Times: 0, Status: 503));

        var answers = new[] { await DispatchAsync(), await DispatchAsync(), await DispatchAsync() };
        var pending = await Simulator.GetFaultsAsync();
        await Simulator.ClearAsync();
        var afterClear = await DispatchAsync();

        Assert.Null(queued.Remaining);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.Equal(queued.Id, Assert.Single(pending).Id);
        Assert.Equal(HttpStatusCode.NoContent, afterClear.Status);
    }

    [Fact]
    public async Task Fault_ForOneJob_LeavesOtherJobsAlone()
    {
        var otherJob = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("status", JobId: _jobId, Status: 503));

        var other = await DispatchAsync(otherJob);
        var faulted = await DispatchAsync();
        var next = await DispatchAsync();

        Assert.Equal(HttpStatusCode.NoContent, other.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.Status);
        Assert.Equal(HttpStatusCode.NoContent, next.Status);
        Assert.Null((await Simulator.GetRequestsAsync(otherJob)).Single().Fault);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.TooManyRequests)]
    [InlineData(403, HttpStatusCode.Forbidden)]
    public async Task RateLimitFault_NextDispatch_AnswersWithRetryAfter(int? status, HttpStatusCode expected)
    {
        await Simulator.AddFaultAsync(new SimulatorFault("rate-limit", Status: status, Seconds: 7));

        var faulted = await DispatchAsync();

        Assert.Equal(expected, faulted.Status);
        Assert.Equal("7", faulted.Header("retry-after"));
        Assert.True(int.Parse(faulted.Header("x-ratelimit-remaining"), CultureInfo.InvariantCulture) > 0);
        Assert.Equal("5000", faulted.Header("x-ratelimit-limit"));
        Assert.Contains("secondary rate limit", faulted.Message, StringComparison.Ordinal);
        var logged = (await Simulator.GetRequestsAsync(_jobId)).Single();
        Assert.Equal("rate-limit", logged.Fault!.Kind);
        Assert.InRange((logged.NotBefore!.Value - logged.ReceivedAt).TotalSeconds, 7, 9);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Forbidden)]
    [InlineData(429, HttpStatusCode.TooManyRequests)]
    public async Task RateLimitResetFault_NextDispatch_AnswersRemaining0AndResetInTheFuture(int? status, HttpStatusCode expected)
    {
        await Simulator.AddFaultAsync(new SimulatorFault("rate-limit-reset", Status: status, Seconds: 30));
        var before = DateTimeOffset.UtcNow;

        var faulted = await DispatchAsync();

        Assert.Equal(expected, faulted.Status);
        Assert.Equal("0", faulted.Header("x-ratelimit-remaining"));
        Assert.False(faulted.Response.Headers.Contains("retry-after"));
        var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(faulted.Header("x-ratelimit-reset"), CultureInfo.InvariantCulture));
        Assert.InRange(reset, before.AddSeconds(29), DateTimeOffset.UtcNow.AddSeconds(32));
        Assert.Contains("API rate limit exceeded", faulted.Message, StringComparison.Ordinal);
        Assert.Equal(reset, (await Simulator.GetRequestsAsync(_jobId)).Single().NotBefore);
    }

    [Fact]
    public async Task TimeoutFault_ClientGivesUp_NoAnswerBeforeTheClientsDeadline()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("timeout"));
        var clientTimeout = TimeSpan.FromSeconds(1.5);
        var clock = Stopwatch.StartNew();

        using var deadline = new CancellationTokenSource(clientTimeout);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DispatchAsync(cancellationToken: deadline.Token));

        Assert.True(clock.Elapsed >= clientTimeout - TimeSpan.FromMilliseconds(50), $"gave up after {clock.Elapsed}");
        var logged = await Eventually.UntilAsync(
            async () => (await Simulator.GetRequestsAsync(_jobId)).Single(), r => r.CompletedAt is not null,
            TimeSpan.FromSeconds(10), "the held request to end when the client gave up");
        Assert.Equal("timeout", logged.Fault!.Kind);
        Assert.Null(logged.Status);
        Assert.Null(logged.RunId);
        Assert.True(logged.CompletedAt!.Value - logged.ReceivedAt >= clientTimeout - TimeSpan.FromMilliseconds(100),
            $"held from {logged.ReceivedAt:O} to {logged.CompletedAt:O}");
    }

    [Fact]
    public async Task TimeoutFault_WithSeconds_ClosesTheConnectionWithoutAnswer()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("timeout", Seconds: 1));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<HttpRequestException>(() => DispatchAsync());

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"closed after {clock.Elapsed}");
        var logged = (await Simulator.GetRequestsAsync(_jobId)).Single();
        Assert.Null(logged.Status);
        Assert.Equal(HttpStatusCode.NoContent, (await DispatchAsync()).Status);
    }

    [Fact]
    public async Task LatencyFault_NextDispatch_AnswersNormallyAfterTheDelay()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("latency", Milliseconds: 800));
        var clock = Stopwatch.StartNew();

        var answer = await DispatchAsync(returnRunDetails: true);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(780), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var logged = (await Simulator.GetRequestsAsync(_jobId)).Single();
        Assert.Equal("latency", logged.Fault!.Kind);
        Assert.Equal(answer.Body!.Value.GetProperty("workflow_run_id").GetInt64(), logged.RunId);
    }

    [Fact]
    public async Task RejectRunDetailsFault_WithRunDetails_Answers400AndPlainDispatchStillWorks()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("reject-run-details", Times: 0));

        var withField = await DispatchAsync(returnRunDetails: true);
        var withoutField = await DispatchAsync();

        Assert.Equal(HttpStatusCode.BadRequest, withField.Status);
        Assert.Equal("Invalid request.\n\n\"return_run_details\" is not a permitted key.", withField.Message);
        Assert.Equal(HttpStatusCode.NoContent, withoutField.Status);
        var logged = await Simulator.GetRequestsAsync(_jobId);
        Assert.Equal(["reject-run-details", null], logged.Select(r => r.Fault?.Kind));
        Assert.Null(logged[0].RunId);
        Assert.NotNull(logged[1].RunId);
    }

    [Fact]
    public async Task IgnoreRunDetailsFault_WithRunDetails_Answers204AndCreatesRun()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("ignore-run-details"));

        var ignored = await DispatchAsync(returnRunDetails: true);
        var next = await DispatchAsync(returnRunDetails: true);

        Assert.Equal(HttpStatusCode.NoContent, ignored.Status);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        var logged = await Simulator.GetRequestsAsync(_jobId);
        Assert.Equal("ignore-run-details", logged[0].Fault!.Kind);
        Assert.NotNull(logged[0].RunId);
    }

    [Fact]
    public async Task RunDetailsFaults_DispatchWithoutField_DoNotMatchAndStayQueued()
    {
        await Simulator.AddFaultAsync(new SimulatorFault("reject-run-details"));
        await Simulator.AddFaultAsync(new SimulatorFault("ignore-run-details"));

        var plain = await DispatchAsync();

        Assert.Equal(HttpStatusCode.NoContent, plain.Status);
        Assert.Equal(["reject-run-details", "ignore-run-details"], (await Simulator.GetFaultsAsync()).Select(f => f.Kind));
    }

    [Fact]
    public async Task AddFault_Defaults_AreFilledIn()
    {
        var status = await Simulator.AddFaultAsync(new SimulatorFault("status"));
        var rateLimit = await Simulator.AddFaultAsync(new SimulatorFault("rate-limit"));
        var reset = await Simulator.AddFaultAsync(new SimulatorFault("rate-limit-reset"));
        var timeout = await Simulator.AddFaultAsync(new SimulatorFault("timeout"));
        var latency = await Simulator.AddFaultAsync(new SimulatorFault("latency"));

        Assert.Equal((1, 1, 500), (status.Times, status.Remaining, status.Status));
        Assert.Equal((429, 60), (rateLimit.Status, rateLimit.Seconds));
        Assert.Equal((403, 60), (reset.Status, reset.Seconds));
        Assert.Equal(120, timeout.Seconds);
        Assert.Equal(1000, latency.Milliseconds);
    }

    [Theory]
    [InlineData("""{"kind":"flaky"}""", "kind")]
    [InlineData("""{"kind":"status","status":200}""", "status")]
    [InlineData("""{"kind":"rate-limit","status":500}""", "status")]
    [InlineData("""{"kind":"latency","seconds":3}""", "seconds")]
    [InlineData("""{"kind":"status","times":-1}""", "times")]
    [InlineData("""{"kind":"status","retryAfter":3}""", "retryAfter")]
    public async Task AddFault_Invalid_Answers400NamingTheField(string json, string field)
    {
        using var response = await fixture.Simulator.Control.PostAsync("/_simulator/faults", new StringContent(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await Simulator.GetFaultsAsync());
    }

    [Fact]
    public async Task DeleteFault_ById_RemovesOnlyThatOne()
    {
        var first = await Simulator.AddFaultAsync(new SimulatorFault("status"));
        var second = await Simulator.AddFaultAsync(new SimulatorFault("latency"));

        using var response = await fixture.Simulator.Control.DeleteAsync($"/_simulator/faults/{first.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(second.Id, Assert.Single(await Simulator.GetFaultsAsync()).Id);
    }

    private Task<GitHubAnswer> DispatchAsync(string? jobId = null, bool returnRunDetails = false, CancellationToken cancellationToken = default) =>
        GitHubAnswer.SendAsync(
            fixture.Http,
            GitHubRequests.Dispatch(GitHubRequests.Body(jobId ?? _jobId, returnRunDetails), GitHubRequests.DispatchPath()),
            cancellationToken);
}
