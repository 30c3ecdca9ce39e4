using System.Net;
using System.Text.Json;
using Npgsql;
using Provisioning.Grains.ReadModel;
using Provisioning.Jobs;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.ReadModel;

namespace Provisioning.Tests.Api;

/// <summary>The job listings, read through the real gateway process from a read model seeded with hand-made snapshots.</summary>
[Collection(ApiCollection.Name)]
public sealed class JobsApiTests(TestSystem system)
{
    private static readonly DateTimeOffset Start = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/api/users/{0}/jobs?limit=3")]
    [InlineData("/api/jobs?userId={0}&limit=3")]
    public async Task ListJobs_SevenJobsOfOneUserLimitThree_ThreePagesNewestFirstWithoutDuplicates(string firstPage)
    {
        var user = NewUser();
        var jobs = Enumerable.Range(0, 7)
            .Select(i => TestJobs.Snapshot(TestJobs.NewId(), user, Start.AddMinutes(i == 4 ? 3 : i), JobStatus.Queued))
            .ToArray(); // jobs 3 and 4 were created at the same moment: the job id orders them
        await SeedAsync(jobs);
        var expected = jobs
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.JobId, StringComparer.Ordinal)
            .Select(j => j.JobId);

        var pages = await ReadAllPagesAsync(string.Format(firstPage, user));

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(expected, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task ListJobs_NoFilter_EveryJobOnceNewestFirstAcrossPages()
    {
        var user = NewUser();
        var seeded = Enumerable.Range(0, 5)
            .Select(i => TestJobs.Snapshot(TestJobs.NewId(), user, Start.AddHours(-i), JobStatus.Waiting))
            .ToArray();
        await SeedAsync(seeded);

        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await ApiJson.GetAsync(system.Http, $"/api/jobs?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            items.AddRange(page.Body.GetProperty("items").EnumerateArray());
            cursor = page.Body.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && items.Count < 10_000);

        var keys = items.Select(i => (CreatedAt: i.GetProperty("createdAt").GetDateTimeOffset(), JobId: i.GetProperty("jobId").GetString()!)).ToArray();
        Assert.Equal(keys.Length, keys.Select(k => k.JobId).Distinct().Count());
        Assert.Equal(
            keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.JobId, StringComparer.Ordinal),
            keys);
        Assert.All(seeded, job => Assert.Contains(job.JobId, keys.Select(k => k.JobId)));
    }

    [Fact]
    public async Task ListJobs_StatusAndUserFilters_ReturnOnlyMatchingJobs()
    {
        var user = NewUser();
        var failedEarly = TestJobs.Snapshot(TestJobs.NewId(), user, Start, JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Failed);
        var queued = TestJobs.Snapshot(TestJobs.NewId(), user, Start.AddMinutes(1), JobStatus.Queued);
        var cancelledLate = TestJobs.Snapshot(TestJobs.NewId(), user, Start.AddMinutes(2), JobStatus.Queued, JobStatus.Cancelled);
        var otherUser = TestJobs.Snapshot(TestJobs.NewId(), NewUser(), Start.AddMinutes(3), JobStatus.Queued, JobStatus.Cancelled);
        await SeedAsync(failedEarly, queued, cancelledLate, otherUser);

        var cancelled = await ApiJson.GetAsync(system.Http, $"/api/jobs?status=cancelled&userId={user}");
        var userFailed = await ApiJson.GetAsync(system.Http, $"/api/users/{user}/jobs?status=failed");

        Assert.True(cancelled.Status == HttpStatusCode.OK, cancelled.ToString());
        Assert.Equal([cancelledLate.JobId], Ids(cancelled));
        Assert.True(userFailed.Status == HttpStatusCode.OK, userFailed.ToString());
        Assert.Equal([failedEarly.JobId], Ids(userFailed));
        Assert.Equal(JsonValueKind.Null, userFailed.Body.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task ListJobs_Item_HasTheContractFieldsInCamelCaseWithoutHistory()
    {
        var user = NewUser();
        var job = TestJobs.Snapshot(TestJobs.NewId(), user, Start, JobStatus.Queued, JobStatus.Dispatched, JobStatus.Provisioning, JobStatus.Failed);
        await SeedAsync(job);

        var page = await ApiJson.GetAsync(system.Http, $"/api/users/{user}/jobs");

        Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
        Assert.Equal("application/json", page.ContentType);
        var item = Assert.Single(page.Body.GetProperty("items").EnumerateArray());
        Assert.Equal(
            ["agentId", "attempt", "createdAt", "jobId", "lastError", "lastHeartbeatAt", "output", "region", "runAttempt", "runId", "runUrl", "status",
             "stripeEventId", "updatedAt", "userId"],
            item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(job.JobId, item.GetProperty("jobId").GetString());
        Assert.Equal(job.StripeEventId, item.GetProperty("stripeEventId").GetString());
        Assert.Equal(user, item.GetProperty("userId").GetString());
        Assert.Equal(job.AgentId, item.GetProperty("agentId").GetString());
        Assert.Equal("us-east", item.GetProperty("region").GetString());
        Assert.Equal("failed", item.GetProperty("status").GetString());
        Assert.Equal(1, item.GetProperty("attempt").GetInt32());
        Assert.Equal("9001", item.GetProperty("runId").GetString());
        Assert.Equal(job.RunUrl, item.GetProperty("runUrl").GetString());
        Assert.Equal(job.CreatedAt, item.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(job.UpdatedAt, item.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal("terraform apply failed", item.GetProperty("lastError").GetString());
    }

    [Theory]
    [InlineData("/api/jobs?status=running", "status")]
    [InlineData("/api/jobs?status=1", "status")]
    [InlineData("/api/users/u1/jobs?status=done", "status")]
    [InlineData("/api/jobs?limit=0", "limit")]
    [InlineData("/api/jobs?limit=201", "limit")]
    [InlineData("/api/jobs?limit=-3", "limit")]
    [InlineData("/api/jobs?limit=ten", "limit")]
    [InlineData("/api/users/u1/jobs?limit=1.5", "limit")]
    [InlineData("/api/jobs?cursor=not*base64url", "cursor")]
    [InlineData("/api/jobs?cursor=AAAA", "cursor")]
    public async Task ListJobs_BadQueryParameter_Answers400ProblemNamingIt(string path, string parameter)
    {
        var answer = await ApiJson.GetAsync(system.Http, path);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(400, answer.Body.GetProperty("status").GetInt32());
        Assert.Equal([parameter], answer.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.StartsWith($"{parameter}: ", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ListJobs_LimitAtMaximum_Answers200()
    {
        var answer = await ApiJson.GetAsync(system.Http, $"/api/jobs?limit=200&userId={NewUser()}&status=queued");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Empty(answer.Body.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, answer.Body.GetProperty("nextCursor").ValueKind);
    }

    private static string NewUser() => $"user-{Guid.NewGuid():N}";

    private static IEnumerable<string> Ids(ApiJson page) =>
        page.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("jobId").GetString()!);

    private async Task SeedAsync(params JobSnapshot[] jobs)
    {
        await using var dataSource = NpgsqlDataSource.Create(system.ConnectionString);
        var readModel = new PostgresJobReadModel(dataSource);
        foreach (var job in jobs)
        {
            await readModel.ProjectAsync(job);
        }
    }

    /// <summary>Follows nextCursor from <paramref name="firstPage"/> to the end; returns the job ids of each page.</summary>
    private async Task<List<List<string>>> ReadAllPagesAsync(string firstPage)
    {
        var pages = new List<List<string>>();
        var path = firstPage;
        while (pages.Count < 100)
        {
            var page = await ApiJson.GetAsync(system.Http, path);
            Assert.True(page.Status == HttpStatusCode.OK, page.ToString());
            pages.Add(Ids(page).ToList());
            var cursor = page.Body.GetProperty("nextCursor").GetString();
            if (cursor is null)
            {
                break;
            }

            path = $"{firstPage}&cursor={cursor}";
        }

        return pages;
    }
}
