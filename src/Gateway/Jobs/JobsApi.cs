using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.Gateway.Api;
using Provisioning.Jobs;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.Jobs;

public static class JobsApi
{
    /// <summary>
    /// <c>GET /api/jobs/{jobId}</c> (from the job grain, the source of truth), <c>GET /api/jobs</c> and
    /// <c>GET /api/users/{userId}/jobs</c> (from the read model, newest first, keyset-paged; <c>q</c> searches job, user and
    /// agent ids) and <c>GET /api/jobs/counts</c> (jobs by status, from the read model). Mapped on the <c>/api</c> group.
    /// </summary>
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListJobsAsync).WithName("ListJobs");
        jobs.MapGet("/counts", CountJobsAsync).WithName("CountJobs");
        jobs.MapGet("/{jobId}", GetJobAsync).WithName("GetJob");

        api.MapGroup("/users").WithTags("Jobs")
            .MapGet("/{userId}/jobs", ListUserJobsAsync).WithName("ListUserJobs");
        return api;
    }

    /// <summary>
    /// A job id is the id of the Stripe event that created it: when the job is not made yet but its event is stored, the
    /// event is processed first, so an acknowledged checkout never reads as 404.
    /// </summary>
    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJobAsync(string jobId, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IProvisioningJobGrain>(jobId);
        var job = await grain.GetAsync();
        if (job is null
            && await grains.GetGrain<IStripeInboxGrain>(0).ProcessAsync(jobId) is { DuplicateOf: null } stored
            && stored.JobId == jobId)
        {
            job = await grain.GetAsync();
        }

        return job is null ? ApiProblems.NotFound("Job", jobId) : TypedResults.Ok(JobResponse.From(job));
    }

    private static async Task<Ok<IReadOnlyDictionary<string, int>>> CountJobsAsync(JobCountsQuery counts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await counts.CountAsync(cancellationToken));

    private static Task<Results<Ok<JobPage>, ValidationProblem>> ListJobsAsync(
        string? status, string? userId, string? q, string? limit, string? cursor, JobListQuery query, CancellationToken cancellationToken) =>
        ListAsync(status, userId, q, limit, cursor, query, cancellationToken);

    private static Task<Results<Ok<JobPage>, ValidationProblem>> ListUserJobsAsync(
        string userId, string? status, string? q, string? limit, string? cursor, JobListQuery query, CancellationToken cancellationToken) =>
        ListAsync(status, userId, q, limit, cursor, query, cancellationToken);

    private static async Task<Results<Ok<JobPage>, ValidationProblem>> ListAsync(
        string? status, string? userId, string? q, string? limit, string? cursor, JobListQuery query, CancellationToken cancellationToken)
    {
        if (!JobListRequest.TryParse(status, userId, limit, cursor, out var request, out var errors, q))
        {
            return ApiProblems.BadQuery(errors);
        }

        return TypedResults.Ok(await query.ListAsync(request, cancellationToken));
    }
}
