using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.Jobs;

namespace Provisioning.Gateway.Api;

/// <summary>The RFC 7807 problem answers the API gives.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: $"{what} not found",
            detail: $"No {what.ToLowerInvariant()} has the id '{id}'.");

    /// <summary>400 naming each bad query parameter in <c>errors</c> (and in <c>detail</c>).</summary>
    public static ValidationProblem BadQuery(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            title: "Invalid query parameter",
            detail: string.Join(" ", errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))));

    /// <summary>
    /// 409: the job refused the action in its current state (a stale attempt's run, a second claim, anything after a terminal
    /// status, a retry of a job that has not ended). <c>detail</c> says why; <c>jobStatus</c> and <c>attempt</c> are the job's now.
    /// (The job's status is not in <c>status</c>: RFC 7807 gives that member to the HTTP status, and a second one would make
    /// the JSON ambiguous.)
    /// </summary>
    public static ProblemHttpResult JobConflict(JobSnapshot job, string? reason) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Not allowed in the job's current state",
            detail: reason ?? $"The job is {JobNames.Of(job.Status)} on attempt {job.Attempt}.",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = "conflict",
                ["jobId"] = job.JobId,
                ["jobStatus"] = JobNames.Of(job.Status),
                ["attempt"] = job.Attempt,
            });

    /// <summary>
    /// 503 with <c>Retry-After</c> (whole seconds) and a <c>reason</c> when given: nothing was done, and the same request may
    /// succeed later. <paramref name="extensions"/> add members to the problem.
    /// </summary>
    public static ProblemHttpResult Unavailable(
        HttpResponse response, TimeSpan retryAfter, string title, string detail, string? reason, params (string Name, object? Value)[] extensions)
    {
        response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var members = new Dictionary<string, object?>();
        if (reason is not null)
        {
            members["reason"] = reason;
        }

        foreach (var (name, value) in extensions)
        {
            members[name] = value;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, detail: detail, extensions: members);
    }
}
