extern alias gateway;
using System.Net;
using System.Text.Json;
using gateway::Provisioning.Gateway.Live;
using Npgsql;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Tests.Api;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Observability;
using Provisioning.Tests.ReadModel;
using Provisioning.Tests.Webhooks;
using Xunit.Abstractions;

namespace Provisioning.Tests.Dashboard;

/// <summary>The figures, the attention view and the live updates the dashboard reads: <c>/api/stats</c>, <c>/api/attention</c>, <c>/api/live</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardDataTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("2h")]
    [InlineData("1H")]
    [InlineData("")]
    public async Task Stats_BadWindow_Answers400ProblemNamingWindow(string window)
    {
        var answer = await ApiJson.GetAsync(fixture.System.Http, $"/api/stats?window={Uri.EscapeDataString(window)}x");

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(["window"], answer.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Contains("1h, 24h, 7d", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Stats_JobsProjected_EveryWindowCountsThemInItsIntervals()
    {
        var before = await TotalsAsync("24h");
        var now = DateTimeOffset.UtcNow;
        await SeedAsync(
            TestJobs.Snapshot(TestJobs.NewId(), NewUser(), now.AddSeconds(-30), JobStatus.Queued, JobStatus.Cancelled),
            TestJobs.Snapshot(TestJobs.NewId(), NewUser(), now.AddSeconds(-30), JobStatus.Waiting, JobStatus.Cancelled));

        foreach (var (window, intervals, seconds) in new[] { ("1h", 60, 60), ("24h", 96, 900), ("7d", 168, 3600) })
        {
            var answer = await ApiJson.GetAsync(fixture.System.Http, $"/api/stats?window={window}");
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
            Assert.Equal(window, answer.Body.GetProperty("window").GetString());
            Assert.Equal(seconds, answer.Body.GetProperty("intervalSeconds").GetInt32());
            Assert.Equal(intervals, answer.Body.GetProperty("intervals").GetArrayLength());
            Assert.True(answer.Body.GetProperty("inbox").GetProperty("backlog").GetInt64() >= 0);
        }

        // Nothing else in this collection cancels jobs within the last day.
        var after = await TotalsAsync("24h");
        Assert.Equal(before.GetProperty("cancelled").GetInt64() + 2, after.GetProperty("cancelled").GetInt64());
        Assert.True(after.GetProperty("received").GetInt64() >= before.GetProperty("received").GetInt64() + 2);
    }

    [Fact]
    public async Task Attention_JobsInEachKindOfTrouble_ListedUnderTheirHeading()
    {
        var error = $"terraform apply failed: quota {Guid.NewGuid():N}";
        var longAgo = DateTimeOffset.UtcNow.AddHours(-2);
        var failed = TestJobs.Snapshot(TestJobs.NewId(), NewUser(), DateTimeOffset.UtcNow, JobStatus.Queued, JobStatus.Failed) with { LastError = error };
        var waiting = TestJobs.Snapshot(TestJobs.NewId(), NewUser(), longAgo, JobStatus.Waiting);
        var silent = TestJobs.Snapshot(TestJobs.NewId(), NewUser(), longAgo, JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning);
        var queued = TestJobs.Snapshot(TestJobs.NewId(), NewUser(), longAgo, JobStatus.Queued);
        var limited = queued with
        {
            History = [.. queued.History, new JobHistoryEntry(longAgo.AddSeconds(1), JobStatus.Queued, JobStatus.Queued, JobActor.System,
                "dispatch request 1 of attempt 1 rate limited: GitHub answered 429 Too Many Requests; next request in 60 s")],
            Version = queued.Version + 1,
            LastError = "GitHub answered 429 Too Many Requests",
        };
        await SeedAsync(failed, waiting, silent, limited);

        var answer = await ApiJson.GetAsync(fixture.System.Http, "/api/attention");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var body = answer.Body;
        var group = body.GetProperty("failed").GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("lastError").GetString() == error);
        Assert.Equal(1, group.GetProperty("jobs").GetInt32());
        Assert.Equal([failed.JobId], group.GetProperty("jobIds").EnumerateArray().Select(j => j.GetString()));
        Assert.Contains(waiting.JobId, Ids(body.GetProperty("waiting")));
        Assert.Equal(600, body.GetProperty("waiting").GetProperty("afterSeconds").GetDouble());
        Assert.Contains(silent.JobId, Ids(body.GetProperty("silentRuns")));
        Assert.Contains(limited.JobId, Ids(body.GetProperty("rateLimited")));
        Assert.DoesNotContain(queued.JobId, Ids(body.GetProperty("waiting")));
        Assert.False(body.GetProperty("stripeEndpoint").GetProperty("disabled").GetBoolean());
        Assert.True(body.GetProperty("total").GetInt64() >= body.GetProperty("failed").GetProperty("jobs").GetInt64() + 3);
    }

    [Fact]
    public async Task Stats_DispatchRetriedThenRateLimited_CountedAndHeldJobListedForAttention()
    {
        var before = await TotalsAsync("1h");
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-rate-limited");
        await fixture.System.Simulator.AddFaultAsync(new SimulatorFault("status", Times: 1, JobId: checkout.Id, Status: 503));
        await fixture.System.Simulator.AddFaultAsync(new SimulatorFault("rate-limit", Times: 1, JobId: checkout.Id, Seconds: 15));

        Assert.Equal(HttpStatusCode.OK, (await fixture.System.Http.DeliverAsync(checkout)).Status);

        // While GitHub's limit holds the dispatch back, the attention view lists the job.
        await Eventually.UntilAsync(
            async () => Ids((await ApiJson.GetAsync(fixture.System.Http, "/api/attention")).Body.GetProperty("rateLimited")).ToList(),
            ids => ids.Contains(checkout.Id), Deadline, $"job {checkout.Id} listed as held back by a rate limit");
        await Eventually.UntilAsync(
            async () => (await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs/{checkout.Id}")).Body.GetProperty("status").GetString(),
            status => status == "succeeded", TimeSpan.FromSeconds(60), $"job {checkout.Id} to succeed once the limit lifted");

        var after = await TotalsAsync("1h");
        Assert.True(after.GetProperty("dispatchRetries").GetInt64() >= before.GetProperty("dispatchRetries").GetInt64() + 1, after.ToString());
        Assert.True(after.GetProperty("rateLimitWaits").GetInt64() >= before.GetProperty("rateLimitWaits").GetInt64() + 1, after.ToString());
        Assert.True(after.GetProperty("succeeded").GetInt64() >= before.GetProperty("succeeded").GetInt64() + 1, after.ToString());
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("paidToSucceededP95Seconds").ValueKind);
        Assert.DoesNotContain(checkout.Id, Ids((await ApiJson.GetAsync(fixture.System.Http, "/api/attention")).Body.GetProperty("rateLimited")));
    }

    [Fact]
    public async Task Live_TwentyListeners_AddNoDatabaseQueriesBeyondTheSharedSource()
    {
        await using var first = await SseStream.OpenAsync(fixture.System.GatewayUrl);
        Assert.Equal("text/event-stream", first.ContentType);
        var (type, update) = await first.NextAsync(Deadline);
        Assert.Equal("change", type);
        var oneListener = await GatewayQueriesPerSecondAsync();

        var others = new List<SseStream>();
        try
        {
            for (var i = 0; i < 19; i++)
            {
                others.Add(await SseStream.OpenAsync(fixture.System.GatewayUrl));
            }

            await Task.WhenAll(others.Select(s => s.NextAsync(Deadline)));
            var twentyListeners = await GatewayQueriesPerSecondAsync();
            output.WriteLine($"gateway database operations: {oneListener:0.00}/s with 1 live listener, {twentyListeners:0.00}/s with 20");

            // One listener costs the shared source's reads (about one a second); nineteen more must add well under one a second
            // between them, where a poll per listener would add nineteen.
            Assert.True(twentyListeners - oneListener < 1.0,
                $"the gateway ran {oneListener:0.00} queries/s with one live listener and {twentyListeners:0.00} with twenty");

            // A change reaches every listener, from that one source.
            var version = update.GetProperty("version").GetInt64();
            await SeedAsync(TestJobs.Snapshot(TestJobs.NewId(), NewUser(), DateTimeOffset.UtcNow, JobStatus.Queued, JobStatus.Cancelled));
            var heard = await Task.WhenAll(others.Append(first).Select(s => s.NextVersionAboveAsync(version, Deadline)));
            Assert.Equal(20, heard.Length);
        }
        finally
        {
            foreach (var stream in others)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The gateway's database operations per second over ten seconds in which no job changed, from its own Npgsql metrics
    /// (<c>/metrics</c>). A window in which a job changed is measured again: every open page (the browser tests' too) reloads on
    /// a change, which is what a change should cost, not what listening costs.
    /// </summary>
    private async Task<double> GatewayQueriesPerSecondAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.System.ConnectionString);
        for (var attempt = 1; ; attempt++)
        {
            var clockBefore = await ScalarAsync(dataSource, LiveFeed.VersionSql);
            var start = await GatewayQueriesAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(10));
            var end = await GatewayQueriesAsync();
            if (await ScalarAsync(dataSource, LiveFeed.VersionSql) == clockBefore || attempt == 5)
            {
                return (end - start) / clock.Elapsed.TotalSeconds;
            }
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<double> GatewayQueriesAsync()
    {
        var scrape = PrometheusText.Parse(await fixture.System.Http.GetStringAsync("/metrics"));
        Assert.True(scrape.Has("db_client_operation_duration_seconds_count"), "the gateway exports Npgsql's operation metrics");
        return scrape.Sum("db_client_operation_duration_seconds_count");
    }

    private async Task<JsonElement> TotalsAsync(string window)
    {
        var answer = await ApiJson.GetAsync(fixture.System.Http, $"/api/stats?window={window}");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Body.GetProperty("totals");
    }

    private static IEnumerable<string?> Ids(JsonElement section) =>
        section.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetString());

    private static string NewUser() => $"user-{Guid.NewGuid():N}";

    private async Task SeedAsync(params JobSnapshot[] jobs)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.System.ConnectionString);
        await new PostgresJobReadModel(dataSource).ProjectManyAsync(jobs);
    }
}
