using Provisioning.ActionsSimulator.Runs;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>The GitHub REST endpoints the simulator serves, at the root (github.com) and under <c>/api/v3</c> (GitHub Enterprise).</summary>
public static class GitHubApi
{
    public static IEndpointRouteBuilder MapGitHubApi(this IEndpointRouteBuilder app)
    {
        MapRoutes(app);
        MapRoutes(app.MapGroup(GitHubUrls.EnterprisePrefix));
        app.MapFallback(NotFound);
        return app;
    }

    private static void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches", DispatchAsync).WithTags("GitHub");
        routes.MapGet("/repos/{owner}/{repo}/actions/runs/{runId:long}", GetRun).WithTags("GitHub");
    }

    private static Task<IResult> DispatchAsync(
        string owner, string repo, string workflow, HttpContext context, DispatchHandler handler, TimeProvider time)
    {
        GitHubHeaders.Write(context.Response, time.GetUtcNow());
        return handler.HandleAsync(owner, repo, workflow, context);
    }

    private static IResult GetRun(string owner, string repo, long runId, HttpContext context, GitHubAccess access, RunStore runs, TimeProvider time)
    {
        GitHubHeaders.Write(context.Response, time.GetUtcNow());
        if (access.Refuse(context.Request, owner, repo, GitHubDocs.GetRun) is { } refusal)
        {
            return refusal;
        }

        return runs.Find(owner, repo, runId) is { } run
            ? TypedResults.Json(RunResponse.Of(run), GitHubJson.Options)
            : GitHubErrors.NotFound(GitHubDocs.GetRun);
    }

    private static IResult NotFound(HttpContext context, TimeProvider time)
    {
        GitHubHeaders.Write(context.Response, time.GetUtcNow());
        return GitHubErrors.NotFound(GitHubDocs.Rest);
    }
}
