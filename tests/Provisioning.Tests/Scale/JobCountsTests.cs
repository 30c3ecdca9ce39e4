extern alias gateway;
using gateway::Provisioning.Gateway.Jobs;
using Npgsql;
using Provisioning.Grains.Maintenance;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.ReadModel;

namespace Provisioning.Tests.Scale;

public sealed class JobCountsTests
{
    [Fact]
    public async Task Projections_ConcurrentTransitionsInOppositeOrders_CountsEqualTheRowsBeforeAndAfterFolding()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("counts"));
        var readModel = new PostgresJobReadModel(dataSource);
        var counts = new JobCountsQuery(dataSource);
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        var jobIds = Enumerable.Range(0, 40).Select(_ => TestJobs.NewId()).ToArray();
        JobStatus[] forward = [JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Succeeded];
        JobStatus[] other = [JobStatus.Waiting, JobStatus.Queued, JobStatus.Cancelled];

        // Two writers move halves of the jobs step by step, each batch touching several statuses in another order than
        // the other writer's: counts kept in place would deadlock here.
        async Task WriteAsync(IEnumerable<string> ids, JobStatus[] path)
        {
            for (var step = 1; step <= path.Length; step++)
            {
                await readModel.ProjectManyAsync([.. ids.Select((id, i) => TestJobs.Snapshot(id, $"user_{i}", at, path[..step]))]);
            }
        }

        await Task.WhenAll(WriteAsync(jobIds[..20], forward), WriteAsync(jobIds[20..], other));
        // A replayed old snapshot changes nothing.
        await readModel.ProjectAsync(TestJobs.Snapshot(jobIds[0], "user_0", at, JobStatus.Queued));

        var scanned = await ScaleRows.ScannedCountsAsync(dataSource);
        Assert.Equal(20, scanned["succeeded"]);
        Assert.Equal(20, scanned["cancelled"]);
        Assert.Equal(scanned, await counts.CountAsync(CancellationToken.None));
        Assert.True(await new DataRetention(dataSource).FoldCountsAsync(CancellationToken.None) > 0);
        Assert.Equal(0L, await ScaleRows.ScalarAsync<long>(dataSource, "SELECT count(*) FROM job_count_changes"));
        Assert.Equal(scanned, counts.Count(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Migration_JobsAlreadyStored_CountsStartFromThem()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateMigratedDatabaseAsync("counts"));
        // Rows written as if before the counts existed: the triggers are off while they go in, and the counts are zeroed.
        await ScaleRows.ExecuteAsync(dataSource, "ALTER TABLE jobs DISABLE TRIGGER USER");
        await ScaleRows.FillAsync(dataSource, 2_000);
        await ScaleRows.ExecuteAsync(dataSource, "ALTER TABLE jobs ENABLE TRIGGER USER; UPDATE job_counts SET jobs = 0");

        await ScaleRows.ExecuteAsync(dataSource, await File.ReadAllTextAsync(Path.Combine(Repository.Root, "db", "0008_job_counts.sql")));

        var scanned = await ScaleRows.ScannedCountsAsync(dataSource);
        Assert.Equal(2_000, scanned.Values.Sum());
        Assert.Equal(scanned, await new JobCountsQuery(dataSource).CountAsync(CancellationToken.None));
    }
}
