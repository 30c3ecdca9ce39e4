extern alias gateway;
using gateway::Provisioning.Gateway.Live;
using gateway::Provisioning.Gateway.Stats;
using Npgsql;
using Provisioning.Grains.Maintenance;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.ReadModel;

namespace Provisioning.Tests.Scale;

/// <summary>The per-interval figures of db/0010_job_stats.sql, kept by the projection's writes and read without the job tables.</summary>
public sealed class JobStatsTests
{
    [Fact]
    public async Task Projection_JobsThroughEveryOutcome_FiguresCountEachOnceBeforeAndAfterFolding()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("stats"));
        var readModel = new PostgresJobReadModel(dataSource);
        var now = DateTimeOffset.UtcNow;
        var paid = now.AddMinutes(-5);
        var succeeded = Enumerable.Range(0, 4)
            .Select(i => TestJobs.Snapshot(TestJobs.NewId(), $"user_{i}", paid, JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Succeeded))
            .ToList();
        var failed = TestJobs.Snapshot(TestJobs.NewId(), "user_f", paid, JobStatus.Queued, JobStatus.Failed);
        var cancelled = TestJobs.Snapshot(TestJobs.NewId(), "user_c", paid, JobStatus.Waiting, JobStatus.Cancelled);
        var retried = WithDispatchRetries(TestJobs.Snapshot(TestJobs.NewId(), "user_r", paid, JobStatus.Queued), paid);
        await readModel.ProjectManyAsync([.. succeeded, failed, cancelled, retried]);
        // Replays and older snapshots add nothing: only history rows that are new count.
        await readModel.ProjectManyAsync([succeeded[0], failed, TestJobs.Snapshot(cancelled.JobId, "user_c", paid, JobStatus.Waiting)]);
        var clockBefore = await ClockAsync(dataSource);

        var unfolded = await ReadAsync(dataSource, StatsWindow.Hour, now);
        Assert.True(await new DataRetention(dataSource).FoldCountsAsync(CancellationToken.None) > 0);
        Assert.Equal(0L, await ScaleRows.ScalarAsync<long>(dataSource, "SELECT count(*) FROM job_stats_changes"));
        var folded = await ReadAsync(dataSource, StatsWindow.Hour, now);

        foreach (var totals in new[] { unfolded, folded })
        {
            Assert.Equal(7, totals.Received);
            Assert.Equal(4, totals.Succeeded);
            Assert.Equal(1, totals.Failed);
            Assert.Equal(1, totals.Cancelled);
            Assert.Equal(1, totals.DispatchRetries);
            Assert.Equal(1, totals.RateLimitWaits);
            // Each success came 3 s after the job's creation: bucket ceil(4 log2 3) = 7, whose upper bound is 2^(7/4) = 3.4 s.
            Assert.Equal(3.4, totals.PaidToSucceededP50Seconds);
            Assert.Equal(3.4, totals.PaidToSucceededP95Seconds);
        }

        // The longer windows read their own widths, folded from the same changes.
        Assert.Equal(7, (await ReadAsync(dataSource, StatsWindow.Day, now)).Received);
        Assert.Equal(7, (await ReadAsync(dataSource, StatsWindow.Week, now)).Received);
        // Folding moves changes into the clock's folded count: the live version is the same number before and after.
        Assert.Equal(clockBefore, await ClockAsync(dataSource));
        await readModel.ProjectAsync(TestJobs.Snapshot(TestJobs.NewId(), "user_n", now, JobStatus.Queued));
        Assert.True(await ClockAsync(dataSource) > clockBefore);
    }

    [Fact]
    public async Task PaidToSucceeded_CheckoutDeliveredLate_CountsFromThePaymentNotTheJobsCreation()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("stats_paid"));
        var readModel = new PostgresJobReadModel(dataSource);
        var now = DateTimeOffset.UtcNow;
        var created = now.AddMinutes(-5);
        // Paid 60 s before the job existed (a delivery Stripe retried), succeeded 3 s after the job's creation: 63 s.
        var late = TestJobs.Snapshot(TestJobs.NewId(), "user_late", created, JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Succeeded)
            with { PaidAt = created.AddSeconds(-60) };

        await readModel.ProjectAsync(late);

        var totals = await ReadAsync(dataSource, StatsWindow.Hour, now);
        // 63 s falls in bucket ceil(4 log2 63) = 24, whose upper bound is 2^(24/4) = 64 s.
        Assert.Equal(64, totals.PaidToSucceededP50Seconds);
        Assert.Equal(60.0, await ScaleRows.ScalarAsync<double>(
            dataSource, $"SELECT round(extract(epoch FROM created_at - paid_at))::float8 FROM jobs WHERE job_id = '{late.JobId}'"));
    }

    [Fact]
    public void Window_IntervalsAndStart_EndWithTheIntervalThatHoldsNow()
    {
        var now = new DateTimeOffset(2026, 12, 3, 21, 47, 31, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 20, 48, 0, TimeSpan.Zero), StatsWindow.Hour.Start(now));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 22, 0, 0, TimeSpan.Zero), StatsWindow.Day.Start(now));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 22, 0, 0, TimeSpan.Zero), StatsWindow.Week.Start(now));
        Assert.Equal([60, 96, 168], StatsWindow.All.Select(w => w.Intervals));
        Assert.False(StatsWindow.TryParse("2h", out _));
        Assert.True(StatsWindow.TryParse(null, out var fallback) && fallback == StatsWindow.Hour);
    }

    [Fact]
    public void Percentile_Histogram_UpperBoundOfTheBucketHoldingTheRank()
    {
        (int, long)[] buckets = [(4, 50), (8, 45), (12, 5)];

        Assert.Equal(2.0, StatsFigures.Percentile(buckets, 0.50));
        Assert.Equal(4.0, StatsFigures.Percentile(buckets, 0.95));
        Assert.Equal(8.0, StatsFigures.Percentile(buckets, 0.99));
        Assert.Null(StatsFigures.Percentile([], 0.5));
    }

    /// <summary>A queued job whose first dispatch request failed, and whose second was rate-limited, worded as the job grain words them.</summary>
    private static JobSnapshot WithDispatchRetries(JobSnapshot job, DateTimeOffset at) => job with
    {
        History =
        [
            .. job.History,
            new JobHistoryEntry(at.AddSeconds(1), JobStatus.Queued, JobStatus.Queued, JobActor.System,
                "dispatch request 1 of attempt 1 failed: GitHub answered 502; next request in 0.2 s"),
            new JobHistoryEntry(at.AddSeconds(2), JobStatus.Queued, JobStatus.Queued, JobActor.System,
                "dispatch request 2 of attempt 1 rate limited: GitHub answered 429; next request in 60 s"),
        ],
        Version = job.Version + 2,
    };

    [Fact]
    public async Task Fold_ChangesOfABulkLoad_LeavesTheChartReadCheapAtOnce()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("stats_bulk"));
        var rows = DataRetention.VacuumAfterFolding + 20_000;
        // As a backfill writes them: far more changes at once than a service writes between two folds.
        await ScaleRows.ScalarAsync<long>(dataSource, $"""
            WITH added AS (
                INSERT INTO job_stats_changes (minute, metric, bucket, delta)
                SELECT date_trunc('minute', now()), 'received', 0, 1 FROM generate_series(1, {rows})
                RETURNING 1)
            SELECT count(*) FROM added
            """);

        Assert.Equal(rows, await new DataRetention(dataSource).FoldCountsAsync(CancellationToken.None));

        var now = DateTimeOffset.UtcNow;
        Assert.Equal(rows, (await ReadAsync(dataSource, StatsWindow.Hour, now)).Received);
        await using var read = new StatsQuery(dataSource).CreateCommand(StatsWindow.Hour, StatsWindow.Hour.Start(now));
        var (_, buffers) = await ScaleRows.ExplainAsync(dataSource, read);
        Assert.True(buffers <= 50, $"the hour's figures read {buffers} buffers after the fold: the emptied changes were scanned");
    }

    private static async Task<StatsInterval> ReadAsync(NpgsqlDataSource dataSource, StatsWindow window, DateTimeOffset now)
    {
        var start = window.Start(now);
        var figures = await new StatsQuery(dataSource).ReadAsync(window, start, CancellationToken.None);
        var (intervals, totals) = StatsFigures.Build(window, start, figures);
        Assert.Equal(window.Intervals, intervals.Count);
        Assert.Equal(totals.Received, intervals.Sum(i => i.Received));
        return totals;
    }

    private static Task<long> ClockAsync(NpgsqlDataSource dataSource) => ScaleRows.ScalarAsync<long>(dataSource, LiveFeed.VersionSql);
}
