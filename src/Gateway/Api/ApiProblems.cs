using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.Gateway.Api;

/// <summary>The RFC 7807 problem answers the query API gives.</summary>
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
}
