using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Provisioning.Gateway.Api;
using Provisioning.Gateway.Jobs;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Operators;

public static class OperatorApi
{
    /// <summary>
    /// Operator actions, behind the <see cref="OperatorAccess.OperatorPolicy"/> policy: <c>POST /api/jobs/{jobId}/retry</c>,
    /// <c>POST /api/jobs/{jobId}/cancel</c> and <c>POST /api/jobs/retry</c> (bulk). Mapped on the <c>/api</c> group. See docs/operators.md.
    /// </summary>
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Operators").RequireAuthorization(OperatorAccess.OperatorPolicy);
        jobs.MapPost("/retry", RetryJobsAsync).WithName("RetryJobs");
        jobs.MapPost("/{jobId}/retry", RetryJobAsync).WithName("RetryJob");
        jobs.MapPost("/{jobId}/cancel", CancelJobAsync).WithName("CancelJob");
        return api;
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> RetryJobAsync(
        string jobId, [FromBody] OperatorActionRequest? request, ClaimsPrincipal user, OperatorActions actions) =>
        Answer(jobId, await actions.RetryAsync(jobId, OperatorName(user), request?.Reason));

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelJobAsync(
        string jobId, [FromBody] OperatorActionRequest? request, ClaimsPrincipal user, OperatorActions actions) =>
        Answer(jobId, await actions.CancelAsync(jobId, OperatorName(user), request?.Reason));

    private static async Task<Results<Ok<BulkRetryResult>, ValidationProblem>> RetryJobsAsync(
        [FromBody] BulkRetryRequest? request, ClaimsPrincipal user, OperatorActions actions, CancellationToken cancellationToken)
    {
        if (!BulkRetryRequest.TryParse(request, out var parsed, out var errors))
        {
            return TypedResults.ValidationProblem(
                errors,
                title: "Invalid request body",
                detail: string.Join(" ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))));
        }

        return TypedResults.Ok(await actions.RetryManyAsync(
            parsed.Status, parsed.Since, parsed.Limit, OperatorName(user), request?.Reason, cancellationToken, request?.LastError));
    }

    private static Results<Ok<JobResponse>, ProblemHttpResult> Answer(string jobId, JobActionResult result) => result switch
    {
        { Outcome: JobActionOutcome.NotFound } or { Job: null } => ApiProblems.NotFound("Job", jobId),
        { Outcome: JobActionOutcome.Conflict, Job: { } job } => ApiProblems.JobConflict(job, result.Reason),
        { Job: { } job } => TypedResults.Ok(JobResponse.From(job)),
    };

    private static string OperatorName(ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("An operator endpoint ran without an authenticated operator.");
}
