using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;

namespace Provisioning.Tests.ReadModel;

public sealed class PostgresJobReadModelTests(ReadModelDatabase database) : IClassFixture<ReadModelDatabase>
{
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private PostgresJobReadModel ReadModel => new(database.DataSource);

    [Fact]
    public async Task ProjectAsync_NewJob_StoresRowWithLowercaseNamesAndCreationEntry()
    {
        var id = TestJobs.NewId();
        var job = TestJobs.Snapshot(id, "user-1", Created, JobStatus.Waiting);

        await ReadModel.ProjectAsync(job);

        var row = await database.JobRowAsync(id);
        Assert.NotNull(row);
        Assert.Equal(id, row["stripe_event_id"]);
        Assert.Equal("user-1", row["user_id"]);
        Assert.Equal($"agent-{id}", row["agent_id"]);
        Assert.Equal("us-east", row["region"]);
        Assert.Equal("waiting", row["status"]);
        Assert.Equal(1, row["attempt"]);
        Assert.Null(row["run_id"]);
        Assert.Null(row["run_url"]);
        Assert.Null(row["last_error"]);
        Assert.Equal(Created.UtcDateTime, row["created_at"]);
        Assert.Equal(1L, row["version"]);
        Assert.Equal([$"0 {Created:O} null->waiting stripe step 0: Waiting"], await database.HistoryAsync(id));
    }

    [Fact]
    public async Task ProjectAsync_Version1Then3ThenOlder2_KeepsVersion3AndEachHistoryEntryOnce()
    {
        var id = TestJobs.NewId();
        var v1 = TestJobs.Snapshot(id, "user-2", Created, JobStatus.Queued);
        var v2 = TestJobs.Snapshot(id, "user-2", Created, JobStatus.Queued, JobStatus.Dispatched);
        var v3 = TestJobs.Snapshot(id, "user-2", Created, JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning);

        await ReadModel.ProjectAsync(v1);
        await ReadModel.ProjectAsync(v3);
        var rowAfterV3 = await database.JobRowAsync(id);
        await ReadModel.ProjectAsync(v2);
        await ReadModel.ProjectAsync(v1);

        var row = await database.JobRowAsync(id);
        Assert.Equal(rowAfterV3, row);
        Assert.Equal(3L, row!["version"]);
        Assert.Equal("provisioning", row["status"]);
        Assert.Equal("9001", row["run_id"]);
        Assert.Equal(v3.UpdatedAt.UtcDateTime, row["updated_at"]);
        Assert.Equal(
            [
                $"0 {Created:O} null->queued stripe step 0: Queued",
                $"1 {Created.AddSeconds(1):O} queued->dispatched system step 1: Dispatched",
                $"2 {Created.AddSeconds(2):O} dispatched->provisioning github step 2: Provisioning",
            ],
            await database.HistoryAsync(id));
    }

    [Fact]
    public async Task ProjectAsync_SameSnapshotTwice_SecondChangesNothing()
    {
        var id = TestJobs.NewId();
        var job = TestJobs.Snapshot(id, "user-3", Created, JobStatus.Queued, JobStatus.Cancelled);

        await ReadModel.ProjectAsync(job);
        var row = await database.JobRowAsync(id);
        var history = await database.HistoryAsync(id);
        await ReadModel.ProjectAsync(job);

        Assert.Equal(row, await database.JobRowAsync(id));
        Assert.Equal(history, await database.HistoryAsync(id));
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task ProjectAsync_ConcurrentSnapshotsOfOneJob_EndsAtNewestWithEachHistoryEntryOnce()
    {
        var id = TestJobs.NewId();
        JobStatus[] path = [JobStatus.Waiting, JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Failed];
        var snapshots = Enumerable.Range(1, path.Length)
            .Select(n => TestJobs.Snapshot(id, "user-4", Created, path[..n]))
            .ToArray();
        var deliveries = Enumerable.Range(0, 8).SelectMany(_ => snapshots).OrderBy(_ => Random.Shared.Next()).ToArray();

        // Separate read-model instances, as separate silos would have, all on one database.
        await Task.WhenAll(deliveries.Select(s => Task.Run(() => new PostgresJobReadModel(database.DataSource).ProjectAsync(s))));

        var row = await database.JobRowAsync(id);
        Assert.Equal((long)path.Length, row!["version"]);
        Assert.Equal("failed", row["status"]);
        Assert.Equal("terraform apply failed", row["last_error"]);
        var history = await database.HistoryAsync(id);
        Assert.Equal(path.Length, history.Count);
        Assert.Equal(Enumerable.Range(0, path.Length), history.Select(h => int.Parse(h.Split(' ')[0])));
    }

    [Fact]
    public async Task ProjectAsync_ConcurrentFirstProjectionsOfManyJobs_StoresEveryJob()
    {
        var user = $"user-{Guid.NewGuid():N}";
        var jobs = Enumerable.Range(0, 20)
            .Select(i => TestJobs.Snapshot(TestJobs.NewId(), user, Created.AddMinutes(i), JobStatus.Queued, JobStatus.Dispatched))
            .ToArray();

        await Task.WhenAll(jobs.Concat(jobs).Select(j => Task.Run(() => ReadModel.ProjectAsync(j))));

        await using var command = database.DataSource.CreateCommand(
            "SELECT count(*), (SELECT count(*) FROM job_history h JOIN jobs j USING (job_id) WHERE j.user_id = $1) FROM jobs WHERE user_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = user });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(20L, reader.GetInt64(0));
        Assert.Equal(40L, reader.GetInt64(1));
    }
}
