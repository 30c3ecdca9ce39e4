using Npgsql;
using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Dispatch;

/// <summary>A queued job reaches GitHub Actions through the simulator, over HTTP, whatever GitHub answers.</summary>
public sealed class DispatchThroughSimulatorTests(DispatchSystemFixture fixture) : IClassFixture<DispatchSystemFixture>
{
    private ActionsSimulatorProcess Simulator => fixture.System.Simulator;

    [Fact]
    public async Task Dispatch_GitHubReturnsRunDetails_JobDispatchedWithTheRunRecorded()
    {
        var jobId = await fixture.CreateJobAsync();

        var job = await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);

        var request = Assert.Single(await Simulator.GetRequestsAsync(jobId));
        Assert.Equal(200, request.Status);
        Assert.Equal(request.RunId?.ToString(), job.RunId);
        Assert.Contains($"/actions/runs/{request.RunId}", job.RunUrl);
        Assert.Equal(1, job.Attempt);
        Assert.Equal("2022-11-28", request.ApiVersion);
        Assert.Equal("application/vnd.github+json", request.Accept);
        Assert.Equal("Bearer", request.Authorization);
        Assert.EndsWith("/repos/acme/agents/actions/workflows/provision-agent.yml/dispatches", request.Path);
        var body = request.Body!.Value;
        Assert.Equal("main", body.GetProperty("ref").GetString());
        Assert.True(body.GetProperty("return_run_details").GetBoolean());
        var inputs = body.GetProperty("inputs");
        Assert.Equal(jobId, inputs.GetProperty("job_id").GetString());
        Assert.Equal(job.AgentId, inputs.GetProperty("agent_id").GetString());
        Assert.Equal("eu-west", inputs.GetProperty("region").GetString());
        Assert.Equal("1", inputs.GetProperty("attempt").GetString());
        Assert.Equal(new Uri(fixture.System.Cluster.PublicGatewayUrl, "api/webhooks/github").ToString(), inputs.GetProperty("callback_url").GetString());
        Assert.Contains(job.History, e => e is { From: JobStatus.Queued, To: JobStatus.Dispatched });
    }

    [Fact]
    public async Task Dispatch_OfANewJob_FirstRequestIsDurablyCountedBeforeItLeaves()
    {
        // GitHub holds the request: while it is in flight, the stored job already counts it (a crash now cannot lose the count).
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("timeout", JobId: jobId, Seconds: 30));

        await fixture.CreateJobAsync(jobId);
        await Eventually.UntilAsync(async () => (await Simulator.GetRequestsAsync(jobId)).Count == 1, TimeSpan.FromSeconds(30), "the held dispatch request");

        await using var connection = new Npgsql.NpgsqlConnection(fixture.System.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT convert_from(PayloadBinary, 'UTF8') FROM OrleansStorage WHERE GrainIdExtensionString = @job", connection);
        command.Parameters.AddWithValue("job", jobId);
        var stored = (string?)await command.ExecuteScalarAsync();
        Assert.NotNull(stored);
        Assert.Matches("\"DispatchTries\"\\s*:\\s*1[,}]", stored);
        Assert.Matches("\"DispatchStartedAt\"\\s*:\\s*\"", stored);
        await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);
    }

    [Fact]
    public async Task Dispatch_GitHubAnswers204_JobDispatchedWithoutRun()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("ignore-run-details", JobId: jobId));

        await fixture.CreateJobAsync(jobId);
        var job = await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);

        Assert.Null(job.RunId);
        Assert.Equal(204, Assert.Single(await Simulator.GetRequestsAsync(jobId)).Status);
    }

    [Fact]
    public async Task Dispatch_TwoServerErrorsThenSuccess_RetriesAndRecordsEachFailure()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("status", Times: 2, JobId: jobId, Status: 503));

        await fixture.CreateJobAsync(jobId);
        var job = await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);

        Assert.Equal([503, 503, 200], (await Simulator.GetRequestsAsync(jobId)).Select(r => r.Status));
        var retries = job.History.Where(e => e is { From: JobStatus.Queued, To: JobStatus.Queued }).ToArray();
        Assert.Equal(2, retries.Length);
        Assert.All(retries, e => Assert.Contains("503", e.Reason));
        Assert.Null(job.LastError);
    }

    [Fact]
    public async Task Dispatch_TimeoutThenSuccess_GivesUpOnTheHeldRequestAndRetries()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("timeout", JobId: jobId, Seconds: 30));

        await fixture.CreateJobAsync(jobId);
        var job = await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);

        var requests = await Simulator.GetRequestsAsync(jobId);
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Status);
        Assert.Equal(200, requests[1].Status);
        Assert.Contains(job.History, e => e.Reason.Contains("no answer from GitHub within 2 s"));
    }

    [Fact]
    public async Task Dispatch_RateLimitedWithRetryAfter_NoRequestBeforeTheAllowedTime()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("rate-limit", JobId: jobId, Status: 429, Seconds: 3));

        await fixture.CreateJobAsync(jobId);
        await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);

        var requests = await Simulator.GetRequestsAsync(jobId);
        Assert.Equal(2, requests.Count);
        Assert.Equal(429, requests[0].Status);
        Assert.NotNull(requests[0].NotBefore);
        Assert.True(requests[1].ReceivedAt >= requests[0].NotBefore,
            $"second request at {requests[1].ReceivedAt:O}, allowed from {requests[0].NotBefore:O}");
    }

    [Fact]
    public async Task Dispatch_RateLimitReset_WaitsForTheReset()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("rate-limit-reset", JobId: jobId, Status: 403, Seconds: 2));

        await fixture.CreateJobAsync(jobId);
        await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);

        var requests = await Simulator.GetRequestsAsync(jobId);
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt >= requests[0].NotBefore);
    }

    [Fact]
    public async Task Dispatch_WorkflowNotFound_FailsAtOnceWithAnActionableError()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("status", JobId: jobId, Status: 404));

        await fixture.CreateJobAsync(jobId);
        var job = await fixture.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Single(await Simulator.GetRequestsAsync(jobId));
        Assert.Contains("404", job.LastError);
        Assert.Contains("GitHub:Workflow", job.LastError);
    }

    [Fact]
    public async Task Dispatch_AttemptsExhausted_FailsWithTheLastError()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("status", Times: 0, JobId: jobId, Status: 502));

        await fixture.CreateJobAsync(jobId);
        var job = await fixture.WaitForStatusAsync(jobId, JobStatus.Failed);

        Assert.Equal(3, (await Simulator.GetRequestsAsync(jobId)).Count);
        Assert.Contains("after 3 requests", job.LastError);
        Assert.Contains("502", job.LastError);
    }

    [Fact]
    public async Task Dispatch_FailedJob_FreesTheUsersSlotForTheNextJob()
    {
        var user = $"user_{Guid.NewGuid():N}";
        var first = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("status", JobId: first, Status: 401));

        await fixture.CreateJobAsync(first, user);
        var second = await fixture.CreateJobAsync(userId: user);

        await fixture.WaitForStatusAsync(first, JobStatus.Failed);
        await fixture.WaitForStatusAsync(second, JobStatus.Dispatched);
    }

    [Fact]
    public async Task ReceiveReminder_RepeatedAfterDispatchAndAfterDeactivation_SendsNoExtraRequest()
    {
        var jobId = await fixture.CreateJobAsync();
        await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);
        var client = await fixture.System.ClientAsync();
        var remindable = client.GetGrain<IProvisioningJobGrain>(jobId).AsReference<IRemindable>();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => remindable.ReceiveReminder("owed-work", default)));
        await client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await remindable.ReceiveReminder("owed-work", default);
        var job = await client.GetGrain<IProvisioningJobGrain>(jobId).GetAsync();

        Assert.Equal(JobStatus.Dispatched, job?.Status);
        Assert.Single(await Simulator.GetRequestsAsync(jobId));
    }

    [Fact]
    public async Task ReceiveReminder_RepeatedDuringBackoff_NoRequestBeforeItIsDue()
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        await Simulator.AddFaultAsync(new SimulatorFault("rate-limit", JobId: jobId, Status: 429, Seconds: 4));
        await fixture.CreateJobAsync(jobId);
        await Eventually.UntilAsync(async () => (await Simulator.GetRequestsAsync(jobId)).Count == 1,
            TimeSpan.FromSeconds(20), "the first, rate-limited request");
        var client = await fixture.System.ClientAsync();
        var remindable = client.GetGrain<IProvisioningJobGrain>(jobId).AsReference<IRemindable>();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => remindable.ReceiveReminder("owed-work", default)));
        await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);

        var requests = await Simulator.GetRequestsAsync(jobId);
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt >= requests[0].NotBefore);
    }

    [Fact]
    public async Task Activation_OfAJobThatStillOwesWork_WritesItsReminderAgain()
    {
        var jobId = await fixture.CreateJobAsync();
        await fixture.WaitForStatusAsync(jobId, JobStatus.Dispatched);
        var client = await fixture.System.ClientAsync();
        Assert.Equal(1, await RemindersOfAsync(jobId, delete: false));

        // Removed behind the job's back, as an activation on a silo already declared dead can do; the next tick is put off
        // to the claim deadline (15 min), so no tick writes it again meanwhile.
        Assert.Equal(1, await RemindersOfAsync(jobId, delete: true));
        await client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(JobStatus.Dispatched, (await client.GetGrain<IProvisioningJobGrain>(jobId).GetAsync())?.Status);

        Assert.Equal(1, await RemindersOfAsync(jobId, delete: false));
    }

    private async Task<int> RemindersOfAsync(string jobId, bool delete)
    {
        await using var connection = new NpgsqlConnection(fixture.System.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            delete
                ? "DELETE FROM orleansreminderstable WHERE grainid LIKE '%' || @job AND remindername = 'owed-work'"
                : "SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%' || @job AND remindername = 'owed-work'",
            connection);
        command.Parameters.AddWithValue("job", jobId);
        return delete ? await command.ExecuteNonQueryAsync() : Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}
