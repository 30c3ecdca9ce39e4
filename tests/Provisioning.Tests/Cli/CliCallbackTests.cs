using System.Security.Cryptography;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cli;

/// <summary>
/// <c>callback ID claim|heartbeat|complete|fail</c> playing a workflow run by hand, for a job whose simulated run stays silent:
/// the gateway accepts the CLI's Standard Webhooks signatures and applies each callback.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliCallbackTests(CliFixture fixture)
{
    [Fact]
    public async Task ClaimHeartbeatComplete_AcceptedAndJobSucceedsWithTheOutput_ThenAHeartbeatMustStop()
    {
        var (jobId, runId) = await DispatchedSilentJobAsync();

        var claim = await fixture.RunAsync("callback", jobId, "claim");
        Assert.True(claim.ExitCode == 0, claim.ToString());
        Assert.Contains($"claim for job {jobId} (attempt 1, run {runId}): accepted; the job is provisioning (attempt 1)", claim.Stdout);

        var heartbeat = await fixture.RunAsync("callback", jobId, "heartbeat", "--json");
        Assert.True(heartbeat.ExitCode == 0, heartbeat.ToString());
        Assert.Equal(("provisioning", false), (heartbeat.Json().GetProperty("status").GetString(), heartbeat.Json().GetProperty("duplicate").GetBoolean()));

        var complete = await fixture.RunAsync("callback", jobId, "complete",
            "--output", """{"dashboard":"https://console.example.com/a1"}""", "--field", "endpoint=https://agent-cb.agents.example.com",
            "--webhook-id", "msg_cli_complete_1", "--json");
        Assert.True(complete.ExitCode == 0, complete.ToString());
        Assert.Equal("succeeded", complete.Json().GetProperty("status").GetString());

        var job = (await fixture.JobAsync(jobId))!.Value;
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal("https://agent-cb.agents.example.com", job.GetProperty("output").GetProperty("endpoint").GetString());
        Assert.Equal("https://console.example.com/a1", job.GetProperty("output").GetProperty("dashboard").GetString());
        Assert.Equal($"run {runId}", job.GetProperty("history").EnumerateArray().Last().GetProperty("actorName").GetString());

        var resent = await fixture.RunAsync("callback", jobId, "complete", "--webhook-id", "msg_cli_complete_1", "--json");
        Assert.True(resent.ExitCode == 0, resent.ToString());
        Assert.True(resent.Json().GetProperty("duplicate").GetBoolean(), resent.ToString());

        var late = await fixture.RunAsync("callback", jobId, "heartbeat");
        Assert.True(late.ExitCode == 6, late.ToString());
        Assert.Contains("this run must stop", late.Stderr);
        Assert.Contains("(the job is succeeded on attempt 1)", late.Stderr);
    }

    [Fact]
    public async Task FailRetryable_NewAttemptDispatched_StaleAttemptRefused_NextRunSucceeds()
    {
        var (jobId, runId) = await DispatchedSilentJobAsync();
        Assert.Equal(0, (await fixture.RunAsync("callback", jobId, "claim")).ExitCode);

        var fail = await fixture.RunAsync("callback", jobId, "fail", "--message", "runner lost", "--retryable", "--json");

        Assert.True(fail.ExitCode == 0, fail.ToString());
        Assert.Equal(2, fail.Json().GetProperty("attempt").GetInt32());

        var stale = await fixture.RunAsync("callback", jobId, "heartbeat", "--attempt", "1", "--run-id", runId, "--json");
        Assert.True(stale.ExitCode == 6, stale.ToString());
        Assert.Equal("conflict", stale.Json().GetProperty("error").GetProperty("kind").GetString());

        // The second attempt's run is played by the simulator as usual.
        var watch = await fixture.RunAsync("jobs", "watch", jobId, "--timeout", "60");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Contains("runner lost", watch.Stdout);
        Assert.Contains($"job {jobId} succeeded (attempt 2)", watch.Stdout);
    }

    [Fact]
    public async Task Callback_SignedWithAnotherSecret_Exit4AndNothingChanged()
    {
        var (jobId, runId) = await DispatchedSilentJobAsync();
        var otherSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var claim = await fixture.RunAsync("callback", jobId, "claim", "--secret", otherSecret);

        Assert.True(claim.ExitCode == 4, claim.ToString());
        Assert.Contains("refused (401)", claim.Stderr);
        Assert.Equal("dispatched", (await fixture.JobAsync(jobId))!.Value.GetProperty("status").GetString());
        Assert.NotEmpty(runId);
    }

    [Fact]
    public async Task Callback_UnknownJob_Exit5()
    {
        var claim = await fixture.RunAsync("callback", "evt_cli_no_such_job", "claim", "--attempt", "1", "--run-id", "1");

        Assert.True(claim.ExitCode == 5, claim.ToString());
        Assert.Contains("not found (404)", claim.Stderr);
    }

    /// <summary>A paid job whose simulated run never calls back: dispatched, with the run's id recorded.</summary>
    private async Task<(string JobId, string RunId)> DispatchedSilentJobAsync()
    {
        var jobId = CliFixture.NewEventId();
        await fixture.System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", JobId: jobId));
        await fixture.TriggerAsync(StripeEventFactory.NewId("user"), "agent-cb", jobId);
        var job = await fixture.WaitForStatusAsync(jobId, "dispatched");
        return (jobId, job.GetProperty("runId").GetString()!);
    }
}
