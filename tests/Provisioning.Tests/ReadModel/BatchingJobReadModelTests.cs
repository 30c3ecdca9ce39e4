using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;

namespace Provisioning.Tests.ReadModel;

/// <summary>
/// Projections that share round trips: many concurrent projections all land, each at its newest version, and a snapshot
/// PostgreSQL refuses fails only its own projection, not the others written with it.
/// </summary>
public sealed class BatchingJobReadModelTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ProjectAsync_ManyJobsConcurrently_StoresEachAtItsNewestVersionWithItsHistory()
    {
        await using var readModel = new BatchingJobReadModel(new PostgresJobReadModel(database.DataSource), NullLogger<BatchingJobReadModel>.Instance);
        var user = $"user-{Guid.NewGuid():N}";
        JobStatus[] path = [JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning];
        var ids = Enumerable.Range(0, 150).Select(_ => TestJobs.NewId()).ToArray();
        var snapshots = ids
            .SelectMany(id => Enumerable.Range(1, path.Length).Select(n => TestJobs.Snapshot(id, user, Created, path[..n])))
            .OrderBy(_ => Random.Shared.Next())
            .ToArray();

        await Task.WhenAll(snapshots.Select(s => Task.Run(() => readModel.ProjectAsync(s))));

        foreach (var id in ids)
        {
            var row = await database.JobRowAsync(id);
            Assert.Equal(((long)path.Length, "provisioning"), ((long)row!["version"]!, (string)row["status"]!));
            Assert.Equal(path.Length, (await database.HistoryAsync(id)).Count);
        }
    }

    [Fact]
    public async Task ProjectAsync_OneSnapshotRefused_FailsOnlyThatProjection()
    {
        await using var readModel = new BatchingJobReadModel(new PostgresJobReadModel(database.DataSource), NullLogger<BatchingJobReadModel>.Instance);
        var user = $"user-{Guid.NewGuid():N}";
        var good = Enumerable.Range(0, 40).Select(_ => TestJobs.Snapshot(TestJobs.NewId(), user, Created, JobStatus.Queued)).ToArray();
        // user_id is NOT NULL in the jobs table: PostgreSQL refuses this row, and with it any batch it is in.
        var refused = TestJobs.Snapshot(TestJobs.NewId(), user, Created, JobStatus.Queued) with { UserId = null! };
        var all = good.Append(refused).OrderBy(_ => Random.Shared.Next()).ToArray();

        var projections = all.ToDictionary(s => s.JobId, s => Task.Run(() => readModel.ProjectAsync(s)));
        await Task.WhenAll(projections.Values).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.IsType<Npgsql.PostgresException>(projections[refused.JobId].Exception?.InnerException, exactMatch: false);
        Assert.Null(await database.JobRowAsync(refused.JobId));
        foreach (var snapshot in good)
        {
            Assert.True(projections[snapshot.JobId].IsCompletedSuccessfully, $"projection of {snapshot.JobId}");
            Assert.Equal("queued", (string)(await database.JobRowAsync(snapshot.JobId))!["status"]!);
        }
    }
}
