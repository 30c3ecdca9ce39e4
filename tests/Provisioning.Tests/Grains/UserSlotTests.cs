using Provisioning.Jobs;
using Provisioning.Tests.Cluster;
using Provisioning.Tests.Infrastructure;
using Provisioning.Users;

namespace Provisioning.Tests.Grains;

[Collection(PostgresClusterCollection.Name)]
public sealed class UserSlotTests(PostgresClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task CreateAsync_ThreeJobsForOneUser_OneQueuedOthersWaitInOrder()
    {
        var user = NewId("user");
        var jobs = new[] { NewId("evt"), NewId("evt"), NewId("evt") };

        var created = new List<JobSnapshot>();
        foreach (var job in jobs)
        {
            created.Add(await CreateJobAsync(job, user));
        }

        Assert.Equal([JobStatus.Queued, JobStatus.Waiting, JobStatus.Waiting], created.Select(j => j.Status));
        var slot = await Grains.GetGrain<IUserGrain>(user).GetAsync();
        Assert.Equal(jobs[0], slot.CurrentJobId);
        Assert.Equal(jobs[1..], slot.WaitingJobIds);
    }

    [Fact]
    public async Task AdmitAsync_Repeated_GivesTheSameAnswer()
    {
        var user = Grains.GetGrain<IUserGrain>(NewId("user"));

        var first = await user.AdmitAsync("job-a");
        var again = await user.AdmitAsync("job-a");
        var second = await user.AdmitAsync("job-b");
        var secondAgain = await user.AdmitAsync("job-b");

        Assert.Equal(new Admission(true, 0), first);
        Assert.Equal(first, again);
        Assert.Equal(new Admission(false, 1), second);
        Assert.Equal(second, secondAgain);
        Assert.Equal(["job-b"], (await user.GetAsync()).WaitingJobIds);
    }

    [Fact]
    public async Task CancelAsync_CurrentJob_NextWaitingJobBecomesQueuedByItself()
    {
        var user = NewId("user");
        var (first, second, third) = (NewId("evt"), NewId("evt"), NewId("evt"));
        await CreateJobAsync(first, user);
        await CreateJobAsync(second, user);
        await CreateJobAsync(third, user);

        var cancelled = await Grains.GetGrain<IProvisioningJobGrain>(first).CancelAsync(JobActor.Operator, "customer asked");

        Assert.Equal(JobStatus.Cancelled, cancelled.Job?.Status);
        var promoted = await Eventually.UntilAsync(
            () => Grains.GetGrain<IProvisioningJobGrain>(second).GetAsync(), j => j?.Status == JobStatus.Queued,
            TimeSpan.FromSeconds(20), "the second job to be queued");
        Assert.Contains(promoted!.History, e => e is { From: JobStatus.Waiting, To: JobStatus.Queued, Actor: JobActor.System });
        Assert.Equal(JobStatus.Waiting, (await Grains.GetGrain<IProvisioningJobGrain>(third).GetAsync())?.Status);
        var slot = await Grains.GetGrain<IUserGrain>(user).GetAsync();
        Assert.Equal(second, slot.CurrentJobId);
        Assert.Equal([third], slot.WaitingJobIds);
    }

    [Fact]
    public async Task CancelAsync_WaitingJob_LeavesTheQueueAndTheCurrentJobAlone()
    {
        var user = NewId("user");
        var (first, second) = (NewId("evt"), NewId("evt"));
        await CreateJobAsync(first, user);
        await CreateJobAsync(second, user);

        await Grains.GetGrain<IProvisioningJobGrain>(second).CancelAsync(JobActor.Operator, "duplicate order");

        var slot = await Grains.GetGrain<IUserGrain>(user).GetAsync();
        Assert.Equal(first, slot.CurrentJobId);
        Assert.Empty(slot.WaitingJobIds);
        Assert.Equal(JobStatus.Queued, (await Grains.GetGrain<IProvisioningJobGrain>(first).GetAsync())?.Status);
    }

    [Fact]
    public async Task CreateAsync_SameJobTwice_ReturnsTheFirstUnchanged()
    {
        var job = NewId("evt");
        var first = await CreateJobAsync(job, NewId("user"));
        var again = await Grains.GetGrain<IProvisioningJobGrain>(job).CreateAsync(
            new NewJob(job, "someone-else", "other-agent", "us-west", null, DateTimeOffset.UtcNow));

        Assert.Equal(first.UserId, again.UserId);
        Assert.Equal(first.CreatedAt, again.CreatedAt);
        Assert.Single(again.History, e => e.From is null);
    }

    [Fact]
    public async Task GetAsync_UnknownJob_ReturnsNull() =>
        Assert.Null(await Grains.GetGrain<IProvisioningJobGrain>(NewId("evt")).GetAsync());

    private Task<JobSnapshot> CreateJobAsync(string jobId, string userId) =>
        Grains.GetGrain<IProvisioningJobGrain>(jobId).CreateAsync(
            new NewJob(jobId, userId, $"agent-{jobId}", "us-east", $"cs_{jobId}", DateTimeOffset.UtcNow));

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";
}
