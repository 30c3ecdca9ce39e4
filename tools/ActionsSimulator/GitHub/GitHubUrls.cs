namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>
/// The API and web addresses as the client sees them: <c>http://host/</c> for a github.com-style client, or with
/// <c>/api/v3</c> for the API when the request came that way (GitHub Enterprise, Octokit with a custom base URL).
/// </summary>
public sealed record GitHubUrls(string Api, string Web)
{
    public const string EnterprisePrefix = "/api/v3";

    public static GitHubUrls Of(HttpRequest request)
    {
        var web = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return new GitHubUrls(request.Path.StartsWithSegments(EnterprisePrefix) ? web + EnterprisePrefix : web, web);
    }

    public string Run(string owner, string repo, long runId) => $"{Api}/repos/{owner}/{repo}/actions/runs/{runId}";

    public string RunPage(string owner, string repo, long runId) => $"{Web}/{owner}/{repo}/actions/runs/{runId}";
}
