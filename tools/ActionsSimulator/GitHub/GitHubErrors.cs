using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>The error answers GitHub's REST API gives, in its wording.</summary>
internal static class GitHubErrors
{
    public static JsonHttpResult<GitHubError> Answer(int status, string message, string documentationUrl) =>
        TypedResults.Json(
            new GitHubError(message, documentationUrl, status.ToString(CultureInfo.InvariantCulture)),
            GitHubJson.Options,
            statusCode: status);

    public static JsonHttpResult<GitHubError> RequiresAuthentication() => Answer(401, "Requires authentication", GitHubDocs.Rest);

    public static JsonHttpResult<GitHubError> BadCredentials() => Answer(401, "Bad credentials", GitHubDocs.Rest);

    public static JsonHttpResult<GitHubError> NotFound(string documentationUrl) => Answer(404, "Not Found", documentationUrl);

    public static JsonHttpResult<GitHubError> ProblemsParsingJson() => Answer(400, "Problems parsing JSON", GitHubDocs.Dispatch);

    /// <summary>422 for a body that breaks the endpoint's schema, one line per problem.</summary>
    public static JsonHttpResult<GitHubError> InvalidRequest(IEnumerable<string> problems) =>
        Answer(422, "Invalid request.\n\n" + string.Join('\n', problems), GitHubDocs.Dispatch);

    /// <summary>422 for inputs the workflow does not declare or requires.</summary>
    public static JsonHttpResult<GitHubError> Unprocessable(string message) => Answer(422, message, GitHubDocs.Dispatch);

    /// <summary>What GitHub Enterprise Server answered before <c>return_run_details</c> existed.</summary>
    public static JsonHttpResult<GitHubError> RunDetailsNotPermitted() =>
        Answer(400, "Invalid request.\n\n\"return_run_details\" is not a permitted key.", GitHubDocs.Dispatch);

    /// <summary>GitHub's edge refuses requests without a User-Agent, in plain text.</summary>
    public static ContentHttpResult UserAgentRequired() => TypedResults.Text(
        "Request forbidden by administrative rules. Please make sure your request has a User-Agent header " +
        "(https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). " +
        "Check https://developer.github.com for other possible causes.\n",
        "text/plain; charset=utf-8",
        statusCode: StatusCodes.Status403Forbidden);

    /// <summary>The message of an answer with this status when a fault does not give one.</summary>
    public static string DefaultMessage(int status) => status switch
    {
        401 => "Bad credentials",
        404 => "Not Found",
        422 => "Validation Failed",
        500 => "Server Error",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };
}
