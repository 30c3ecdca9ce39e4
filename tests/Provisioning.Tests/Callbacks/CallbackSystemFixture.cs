using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Provisioning.Jobs;
using Provisioning.Tests.Api;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Callbacks;

/// <summary>
/// The service with its dispatcher pointed at the GitHub Actions simulator, whose runs stay silent: the tests play the
/// workflow's side themselves (<see cref="TestRun"/>), as GitHub's runner would, through the gateway's HTTP endpoints.
/// Shared by the callback, GitHub event and operator tests.
/// </summary>
public sealed class CallbackSystemFixture : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public TestSystem System { get; } = new() { WithSimulator = true };

    /// <summary>Settings for every silo on top of the simulator's (environment variable names), e.g. shorter watchdog timeouts.</summary>
    public Dictionary<string, string?> SiloSettings => System.SiloSettings;

    public HttpClient Http => System.Http;

    public async Task InitializeAsync()
    {
        await System.InitializeAsync();

        // The tests play every run's side themselves, so the simulator's own run player must stay out of the way:
        // a standing "silent" behaviour makes each run one that no runner picks up.
        await System.Simulator.AddBehaviourAsync(new SimulatorBehaviour("silent", Times: 0));
    }

    public Task DisposeAsync() => System.DisposeAsync();

    /// <summary>Creates a paid job (for a new user unless one is given) through its grain and returns its id.</summary>
    public async Task<string> CreateJobAsync(string? userId = null)
    {
        var jobId = $"evt_{Guid.NewGuid():N}";
        var client = await System.ClientAsync();
        await client.GetGrain<IProvisioningJobGrain>(jobId).CreateAsync(
            new NewJob(jobId, userId ?? $"user_{Guid.NewGuid():N}", $"agent_{Guid.NewGuid():N}", "us-east", $"cs_{jobId}", DateTimeOffset.UtcNow));
        return jobId;
    }

    /// <summary>The job as its grain holds it now.</summary>
    public async Task<JobSnapshot> JobAsync(string jobId) =>
        (await (await System.ClientAsync()).GetGrain<IProvisioningJobGrain>(jobId).GetAsync())
        ?? throw new InvalidOperationException($"job {jobId} does not exist");

    public Task<JobSnapshot> WaitForJobAsync(string jobId, Func<JobSnapshot, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => JobAsync(jobId), condition, timeout ?? Deadline, $"job {jobId}: {what}");

    /// <summary>Waits until the attempt is dispatched and GitHub (the simulator) named its run; returns that run, ready to call back.</summary>
    public async Task<TestRun> DispatchedRunAsync(string jobId, int attempt = 1)
    {
        var job = await WaitForJobAsync(
            jobId, j => j is { Status: JobStatus.Dispatched, RunId: not null } && j.Attempt == attempt, $"attempt {attempt} dispatched with a run id");
        return new TestRun(Http, jobId, attempt, job.RunId!);
    }

    /// <summary>A new job whose first attempt's run has claimed it.</summary>
    public async Task<TestRun> ClaimedRunAsync()
    {
        var run = await DispatchedRunAsync(await CreateJobAsync());
        var claim = await run.ClaimAsync();
        Assert.True(claim.Status == HttpStatusCode.OK, claim.ToString());
        return run;
    }

    public Task<ApiJson> GetJobJsonAsync(string jobId) => ApiJson.GetAsync(Http, $"/api/jobs/{jobId}");

    /// <summary>
    /// An operator's POST: with the key as <c>Authorization: Bearer</c> (or <c>X-Api-Key</c> when <paramref name="asApiKeyHeader"/>),
    /// or without a key when <paramref name="key"/> is null.
    /// </summary>
    public Task<WebhookAnswer> OperatorPostAsync(string path, object? body = null, string? key = TestSecrets.OperatorKey, bool asApiKeyHeader = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (key is not null && asApiKeyHeader)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        else if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return Http.SendWebhookAsync(request);
    }
}

/// <summary>The callback, GitHub event and operator tests share one running system.</summary>
[CollectionDefinition(Name)]
public sealed class CallbackCollection : ICollectionFixture<CallbackSystemFixture>
{
    public const string Name = "callbacks";
}
