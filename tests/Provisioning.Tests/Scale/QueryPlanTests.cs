extern alias gateway;
using System.Text.Json.Nodes;
using gateway::Provisioning.Gateway.Attention;
using gateway::Provisioning.Gateway.GitHubEvents;
using gateway::Provisioning.Gateway.Jobs;
using gateway::Provisioning.Gateway.Live;
using gateway::Provisioning.Gateway.Observability;
using gateway::Provisioning.Gateway.Operators;
using gateway::Provisioning.Gateway.Stats;
using Npgsql;
using NpgsqlTypes;
using Provisioning.Grains.Maintenance;
using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Scale;

/// <summary>A database of <see cref="Jobs"/> jobs, their history and inbox rows, analysed, shared by the plan tests.</summary>
public sealed class ScaleDatabase : IAsyncLifetime
{
    public const int Jobs = 100_000;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        DataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("plans"));
        await ScaleRows.FillAsync(DataSource, Jobs);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}

/// <summary>
/// Every statement the API, the dashboard, the scrape and the background work run on the big tables, explained (and run)
/// at <see cref="ScaleDatabase.Jobs"/> jobs: none reads a whole table. A missing index shows as a sequential scan, or as
/// far more pages read than one page of answers needs.
/// </summary>
public sealed class QueryPlanTests(ScaleDatabase database) : IClassFixture<ScaleDatabase>
{
    // One page of jobs, with index pages, is a few dozen buffers; reading the jobs table through is thousands.
    private const long MaxBuffers = 600;

    private static readonly string[] BigTables = ["jobs", "job_history", "stripe_inbox", "orleansstorage", "orleansremindersTable"];

    public static TheoryData<string> Listings => new()
    {
        "first page", "by status", "by rare status", "by user", "by user and status", "search job id", "search agent id",
        "search user id", "page 10000 deep", "page 10000 deep by status",
    };

    [Theory]
    [MemberData(nameof(Listings))]
    public async Task ListJobs_AtScale_ReadsOnlyAPage(string listing)
    {
        var query = new JobListQuery(database.DataSource);
        await using var command = query.CreateCommand(await RequestAsync(listing));

        var plan = await ExplainAsync(command);

        AssertNoScanOfBigTables(plan, listing);
    }

    [Fact]
    public async Task Counts_AtScale_DoNotReadJobs()
    {
        await using var command = database.DataSource.CreateCommand(JobCountsQuery.Sql);
        var plan = await ExplainAsync(command);
        AssertNoScanOfBigTables(plan, "counts");
        Assert.DoesNotContain("\"jobs\"", plan.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InboxBacklog_AtScale_ReadsOnlyUnprocessedRows()
    {
        await using var command = database.DataSource.CreateCommand(InboxBacklogGauge.Sql);
        AssertNoScanOfBigTables(await ExplainAsync(command), "inbox backlog");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RetryCandidates_AtScale_ReadOnlyTheBatch(bool since)
    {
        var query = new RetryCandidatesQuery(database.DataSource);
        await using var command = query.CreateCommand(JobStatus.Failed, since ? DateTimeOffset.UtcNow.AddDays(-10) : null, 100);
        AssertNoScanOfBigTables(await ExplainAsync(command), "retry candidates");
    }

    [Fact]
    public async Task RetryCandidatesOfOneError_AtScale_ReadOnlyFailedJobs()
    {
        var query = new RetryCandidatesQuery(database.DataSource);
        await using var command = query.CreateCommand(JobStatus.Failed, null, 100, "terraform apply failed");
        AssertNoScanOfBigTables(await ExplainAsync(command, maxBuffers: long.MaxValue), "retry candidates of one error");
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("24h")]
    [InlineData("7d")]
    public async Task Stats_AtScale_ReadOnlyTheWindowsIntervals(string window)
    {
        await FoldStatsAsync();
        Assert.True(StatsWindow.TryParse(window, out var parsed));
        await using var command = new StatsQuery(database.DataSource).CreateCommand(parsed, parsed.Start(DateTimeOffset.UtcNow));

        var plan = await ExplainAsync(command);

        AssertNoScanOfBigTables(plan, $"stats {window}");
        Assert.DoesNotContain("\"jobs\"", plan.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"job_history\"", plan.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveVersion_AtScale_ReadsNoJobTable()
    {
        await FoldStatsAsync();
        await using var command = database.DataSource.CreateCommand(LiveFeed.VersionSql);
        var plan = await ExplainAsync(command, maxBuffers: 20);
        AssertNoScanOfBigTables(plan, "live version");
    }

    /// <summary>
    /// Steady state: the silos fold the changes every few seconds, and a fold as large as the bulk load's is followed by a
    /// VACUUM (<see cref="DataRetention.FoldCountsAsync"/>). Run here directly, so that the plans do not depend on how the
    /// fixture's size compares with <see cref="DataRetention.VacuumAfterFolding"/>.
    /// </summary>
    private async Task FoldStatsAsync()
    {
        await ScaleRows.ScalarAsync<long>(database.DataSource, "SELECT job_stats_fold()");
        await using var vacuum = database.DataSource.CreateCommand("VACUUM job_stats_changes");
        await vacuum.ExecuteNonQueryAsync();
    }

    public static TheoryData<string> AttentionStatements => new() { "failed groups", "waiting", "silent runs", "rate limited" };

    [Theory]
    [MemberData(nameof(AttentionStatements))]
    public async Task Attention_AtScale_ReadsABoundedNumberOfRows(string statement)
    {
        var (sql, before) = statement switch
        {
            "failed groups" => (AttentionQuery.FailedGroupsSql, (DateTimeOffset?)null),
            "waiting" => (AttentionQuery.WaitingSql, DateTimeOffset.UtcNow.AddMinutes(-10)),
            "silent runs" => (AttentionQuery.SilentRunsSql, DateTimeOffset.UtcNow.AddMinutes(-3)),
            "rate limited" => (AttentionQuery.RateLimitedSql, null),
            _ => throw new ArgumentOutOfRangeException(nameof(statement)),
        };
        await using var command = database.DataSource.CreateCommand(sql);
        if (before is { } at)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        // At most a few hundred rows each (the newest failures, the longest queued jobs and their last history entry).
        AssertNoScanOfBigTables(await ExplainAsync(command, maxBuffers: 3_000), statement);
    }

    [Fact]
    public async Task RunLookup_AtScale_UsesTheRunIndex()
    {
        await using var command = database.DataSource.CreateCommand(RunJobLookup.ByRunId);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "123456" });
        AssertNoScanOfBigTables(await ExplainAsync(command), "run lookup");
    }

    [Theory]
    [InlineData(DataRetention.PurgeInboxSql)]
    [InlineData(DataRetention.PurgeJobsSql)]
    public async Task Purge_AtScale_ReadsOnlyWhatItDeletes(string sql)
    {
        // A batch of 500 of what is older than 20 days (most of the rows), explained and rolled back.
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = TimeSpan.FromDays(20), NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 500 });
        if (sql.Contains("$3", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "succeeded", NpgsqlDbType = NpgsqlDbType.Text });
        }

        // Deleting 500 rows touches their index entries, so the plan's shape, not a count of buffers, tells a scan apart.
        AssertNoScanOfBigTables(await ExplainAsync(command, maxBuffers: long.MaxValue), sql);
    }

    private async Task<JobListRequest> RequestAsync(string listing)
    {
        return listing switch
        {
            "first page" => Request(),
            "by status" => Request(status: "succeeded"),
            "by rare status" => Request(status: "waiting"),
            "by user" => Request(userId: "user_42"),
            "by user and status" => Request(userId: "user_42", status: "failed"),
            "search job id" => Request(q: "evt_scale_77777"),
            "search agent id" => Request(q: (await ScaleRows.ScalarAsync<string>(database.DataSource, "SELECT md5('31337')"))[..12]),
            "search user id" => Request(q: "user_4242"),
            "page 10000 deep" => Request(cursor: await CursorAsync("SELECT created_at, job_id FROM jobs ORDER BY created_at DESC, job_id DESC OFFSET 10000 LIMIT 1")),
            "page 10000 deep by status" => Request(status: "succeeded", cursor: await CursorAsync(
                "SELECT created_at, job_id FROM jobs WHERE status = 'succeeded' ORDER BY created_at DESC, job_id DESC OFFSET 10000 LIMIT 1")),
            _ => throw new ArgumentOutOfRangeException(nameof(listing)),
        };
    }

    private static JobListRequest Request(string? status = null, string? userId = null, string? q = null, string? cursor = null)
    {
        Assert.True(JobListRequest.TryParse(status, userId, null, cursor, out var request, out var errors, q), string.Join("; ", errors.Keys));
        return request;
    }

    private async Task<string> CursorAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new JobCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)).Encode();
    }

    /// <summary>The command's plan under EXPLAIN (ANALYZE, BUFFERS), which must read at most <paramref name="maxBuffers"/>.</summary>
    private async Task<JsonNode> ExplainAsync(NpgsqlCommand command, long maxBuffers = MaxBuffers)
    {
        var (plan, buffers) = await ScaleRows.ExplainAsync(database.DataSource, command);
        Assert.True(buffers <= maxBuffers, $"{buffers} buffers read (at most {maxBuffers}): {plan.ToJsonString()}");
        return plan;
    }

    private static void AssertNoScanOfBigTables(JsonNode plan, string what)
    {
        var scans = Nodes(plan)
            .Where(n => (string?)n["Node Type"] == "Seq Scan" && BigTables.Contains((string?)n["Relation Name"], StringComparer.OrdinalIgnoreCase))
            .Select(n => (string?)n["Relation Name"])
            .ToList();
        Assert.True(scans.Count == 0, $"{what}: sequential scan of {string.Join(", ", scans)}: {plan.ToJsonString()}");
    }

    private static IEnumerable<JsonNode> Nodes(JsonNode node) =>
        [node, .. (node["Plans"]?.AsArray() ?? []).SelectMany(child => Nodes(child!))];
}
