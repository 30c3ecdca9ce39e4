using System.Text.Json.Nodes;
using Npgsql;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Callbacks;

/// <summary>The service with the default-sized watchdog timeouts scaled down to minutes: 2 min to claim, 1 min between heartbeats.</summary>
public sealed class WatchdogScheduleFixture : IAsyncLifetime
{
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMinutes(1);

    public CallbackSystemFixture Jobs { get; } = new()
    {
        SiloSettings =
        {
            ["Jobs__ClaimTimeout"] = ClaimTimeout.ToString(),
            ["Jobs__HeartbeatTimeout"] = HeartbeatTimeout.ToString(),
        },
    };

    public Task InitializeAsync() => Jobs.InitializeAsync();

    public Task DisposeAsync() => Jobs.DisposeAsync();
}

/// <summary>
/// When a job's durable reminder wakes it, read from the reminder table: every period (2 s here) while a dispatch is owed,
/// then not before the claim deadline while its run is awaited, the heartbeat deadline once claimed, and never once the job
/// has ended. A dispatched job waiting for a runner thus costs no reminder tick until its deadline.
/// </summary>
public sealed class WatchdogScheduleTests(WatchdogScheduleFixture schedule) : IClassFixture<WatchdogScheduleFixture>
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    private CallbackSystemFixture Fixture => schedule.Jobs;

    [Fact]
    public async Task Reminder_PutOffToTheClaimDeadline_ThenToTheHeartbeatDeadline_ThenGone()
    {
        var run = await Fixture.DispatchedRunAsync(await Fixture.CreateJobAsync());
        var dispatchedBy = DateTimeOffset.UtcNow;

        // Recording the dispatch puts the reminder off to the claim deadline.
        var awaitingClaim = await Eventually.UntilAsync(
            () => NextTickAsync(run.JobId),
            next => next > DateTimeOffset.UtcNow + WatchdogScheduleFixture.ClaimTimeout / 2,
            TimeSpan.FromSeconds(30), "the reminder put off towards the claim deadline");
        Assert.InRange(awaitingClaim!.Value, dispatchedBy + WatchdogScheduleFixture.ClaimTimeout - Slack, dispatchedBy + WatchdogScheduleFixture.ClaimTimeout);

        var claimedAt = DateTimeOffset.UtcNow;
        CallbackAssert.Accepted(await run.ClaimAsync(), "provisioning", 1);

        // The claim brings the heartbeat deadline, before the claim deadline: the reminder is due by then.
        var awaitingHeartbeat = await NextTickAsync(run.JobId);
        Assert.InRange(awaitingHeartbeat!.Value, claimedAt + WatchdogScheduleFixture.HeartbeatTimeout - Slack, DateTimeOffset.UtcNow + WatchdogScheduleFixture.HeartbeatTimeout);

        // A heartbeat moves the deadline later, which the reminder's next tick catches up with: no write per heartbeat.
        CallbackAssert.Accepted(await run.HeartbeatAsync(), "provisioning", 1);
        Assert.Equal(awaitingHeartbeat, await NextTickAsync(run.JobId));

        CallbackAssert.Accepted(await run.CompleteAsync(new JsonObject { ["endpoint"] = "https://agent.example" }), "succeeded", 1);
        await Eventually.UntilAsync(async () => await NextTickAsync(run.JobId) is null, TimeSpan.FromSeconds(30), "the ended job's reminder removed");
    }

    /// <summary>The first tick time the reminder table holds for the job's reminder (Orleans ticks from it every period); null when it has none.</summary>
    private async Task<DateTimeOffset?> NextTickAsync(string jobId)
    {
        await using var connection = new NpgsqlConnection(Fixture.System.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT StartTime FROM OrleansRemindersTable WHERE ReminderName = 'owed-work' AND GrainId LIKE '%/' || @job", connection);
        command.Parameters.AddWithValue("job", jobId);
        return await command.ExecuteScalarAsync() is DateTime start ? new DateTimeOffset(start, TimeSpan.Zero) : null;
    }
}
