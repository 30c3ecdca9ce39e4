using System.Net;
using Npgsql;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Tests.Api;
using Provisioning.Tests.ReadModel;

namespace Provisioning.Tests.Dashboard;

/// <summary>What the dashboard reads beyond the job API: counts by status and the search parameter <c>q</c> of the listing.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardApiTests(DashboardFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CountJobs_ThreeCancelledJobsAdded_EveryStatusNamedAndCancelledGrowsByThree()
    {
        var before = await ApiJson.GetAsync(fixture.System.Http, "/api/jobs/counts");
        Assert.True(before.Status == HttpStatusCode.OK, before.ToString());

        // Nothing else in this collection cancels jobs, so the difference is exactly these.
        var user = NewUser();
        await SeedAsync(Enumerable.Range(0, 3)
            .Select(i => TestJobs.Snapshot(TestJobs.NewId(), user, Start.AddMinutes(i), JobStatus.Queued, JobStatus.Cancelled))
            .ToArray());
        var after = await ApiJson.GetAsync(fixture.System.Http, "/api/jobs/counts");

        Assert.True(after.Status == HttpStatusCode.OK, after.ToString());
        Assert.Equal("application/json", after.ContentType);
        Assert.Equal(
            ["waiting", "queued", "dispatched", "provisioning", "succeeded", "failed", "cancelled"],
            after.Body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(before.Body.GetProperty("cancelled").GetInt32() + 3, after.Body.GetProperty("cancelled").GetInt32());
    }

    [Fact]
    public async Task ListJobs_SearchText_OnlyJobsWhoseJobUserOrAgentIdContainsIt()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var byJobId = TestJobs.Snapshot($"evt_{marker}_job", NewUser(), Start, JobStatus.Queued);
        var byUser = TestJobs.Snapshot(TestJobs.NewId(), $"user-{marker}", Start.AddMinutes(1), JobStatus.Failed);
        var byAgent = TestJobs.Snapshot(TestJobs.NewId(), NewUser(), Start.AddMinutes(2), JobStatus.Queued) with { AgentId = $"agent-{marker}" };
        var other = TestJobs.Snapshot(TestJobs.NewId(), NewUser(), Start.AddMinutes(3), JobStatus.Queued);
        await SeedAsync(byJobId, byUser, byAgent, other);

        var all = await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs?q={marker}");
        var failed = await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs?q=%20{marker}%20&status=failed");
        var paged = await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs?q={marker}&limit=2");

        Assert.True(all.Status == HttpStatusCode.OK, all.ToString());
        Assert.Equal([byAgent.JobId, byUser.JobId, byJobId.JobId], Ids(all));
        Assert.Equal([byUser.JobId], Ids(failed));
        Assert.Equal([byAgent.JobId, byUser.JobId], Ids(paged));
        var rest = await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs?q={marker}&limit=2&cursor={paged.Body.GetProperty("nextCursor").GetString()}");
        Assert.Equal([byJobId.JobId], Ids(rest));
    }

    [Fact]
    public async Task ListJobs_SearchTextTooLong_Answers400ProblemNamingQ()
    {
        var answer = await ApiJson.GetAsync(fixture.System.Http, $"/api/jobs?q={new string('x', 201)}");

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal(["q"], answer.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    private static string NewUser() => $"user-{Guid.NewGuid():N}";

    private static IEnumerable<string> Ids(ApiJson page) =>
        page.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("jobId").GetString()!);

    private async Task SeedAsync(params JobSnapshot[] jobs)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.System.ConnectionString);
        var readModel = new PostgresJobReadModel(dataSource);
        foreach (var job in jobs)
        {
            await readModel.ProjectAsync(job);
        }
    }
}
