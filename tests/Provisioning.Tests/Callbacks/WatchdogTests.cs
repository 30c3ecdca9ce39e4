using System.Text.Json.Nodes;
using Provisioning.Jobs;

namespace Provisioning.Tests.Callbacks;

/// <summary>The service with short watchdog timeouts: 3 s to claim, 3 s between heartbeats, two attempts per job.</summary>
public sealed class WatchdogSystemFixture : IAsyncLifetime
{
    public CallbackSystemFixture Jobs { get; } = new()
    {
        SiloSettings =
        {
            ["Jobs__HeartbeatTimeout"] = "00:00:03",
            ["Jobs__ClaimTimeout"] = "00:00:03",
            ["Jobs__MaxAttempts"] = "2",
        },
    };

    public Task InitializeAsync() => Jobs.InitializeAsync();

    public Task DisposeAsync() => Jobs.DisposeAsync();
}

/// <summary>
/// The watchdog, through the real silo's reminders: a run that never claims its job, or stops heartbeating, loses its
/// attempt to a new one, and the job fails with the reason when attempts run out. Heartbeats keep a slow run alive.
/// </summary>
public sealed class WatchdogTests(WatchdogSystemFixture watchdog) : IClassFixture<WatchdogSystemFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    private CallbackSystemFixture Fixture => watchdog.Jobs;

    [Fact]
    public async Task Watchdog_ClaimedRunStopsHeartbeating_RedispatchedThenFailedWithNoHeartbeatReason()
    {
        var firstRun = await Fixture.DispatchedRunAsync(await Fixture.CreateJobAsync());
        CallbackAssert.Accepted(await firstRun.ClaimAsync(), "provisioning", 1);

        var secondRun = await Fixture.DispatchedRunAsync(firstRun.JobId, attempt: 2);
        var stalled = (await Fixture.JobAsync(firstRun.JobId)).History.Single(e => e is { From: JobStatus.Provisioning, To: JobStatus.Queued });
        Assert.Equal(JobActor.System, stalled.Actor);
        Assert.Contains("stalled: no heartbeat for 3 s", stalled.Reason);
        CallbackAssert.Conflict(await firstRun.HeartbeatAsync(), "dispatched", 2, detailContains: "attempt 1 is stale");
        CallbackAssert.Accepted(await secondRun.ClaimAsync(), "provisioning", 2);

        var failed = await Fixture.WaitForJobAsync(firstRun.JobId, j => j.Status == JobStatus.Failed, "failed after the second silent run", Deadline);

        Assert.Contains("no heartbeat for 3 s", failed.LastError);
        Assert.Contains("attempt 2 of 2", failed.LastError);
        Assert.Equal(JobActor.System, failed.History[^1].Actor);
        var attempts = (await Fixture.System.Simulator.GetRequestsAsync(firstRun.JobId))
            .Where(r => r.Status == 200)
            .Select(r => r.Body!.Value.GetProperty("inputs").GetProperty("attempt").GetString());
        Assert.Equal(new[] { "1", "2" }, attempts);
    }

    [Fact]
    public async Task Watchdog_DispatchedRunNeverClaims_RedispatchedThenFailedWithNoClaimReason()
    {
        var firstRun = await Fixture.DispatchedRunAsync(await Fixture.CreateJobAsync());

        var secondRun = await Fixture.DispatchedRunAsync(firstRun.JobId, attempt: 2);
        var failed = await Fixture.WaitForJobAsync(firstRun.JobId, j => j.Status == JobStatus.Failed, "failed after the second unclaimed run", Deadline);

        Assert.NotEqual(firstRun.RunId, secondRun.RunId);
        var stalled = failed.History.Single(e => e is { From: JobStatus.Dispatched, To: JobStatus.Queued });
        Assert.Contains("stalled: no claim within 3 s of the dispatch", stalled.Reason);
        Assert.Contains("no claim within 3 s", failed.LastError);
        CallbackAssert.Conflict(await secondRun.ClaimAsync(), "failed", 2);
    }

    [Fact]
    public async Task Watchdog_RunHeartbeatsEverySecondForTwiceTheTimeout_KeepsItsAttemptAndCompletes()
    {
        var run = await Fixture.DispatchedRunAsync(await Fixture.CreateJobAsync());
        CallbackAssert.Accepted(await run.ClaimAsync(), "provisioning", 1);

        // The workflow's cadence, not a wait for a condition: a heartbeat a second for 6 s, twice the heartbeat timeout.
        for (var beat = 0; beat < 6; beat++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            CallbackAssert.Accepted(await run.HeartbeatAsync(), "provisioning", 1);
        }

        CallbackAssert.Accepted(await run.CompleteAsync(new JsonObject { ["endpoint"] = "https://slow-agent.example" }), "succeeded", 1);
        var job = await Fixture.JobAsync(run.JobId);
        Assert.DoesNotContain(job.History, e => e.Reason.Contains("stalled", StringComparison.Ordinal));
    }
}
