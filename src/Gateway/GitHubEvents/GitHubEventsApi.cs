using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.Gateway.GitHubEvents;

public static class GitHubEventsApi
{
    /// <summary>
    /// Registers the GitHub webhook endpoint with its setting (<see cref="GitHubEventsOptions"/>, <c>GitHub:WebhookSecret</c>).
    /// The secret is optional: without it the endpoint answers 503 "not configured".
    /// </summary>
    public static IHostApplicationBuilder AddGitHubEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GitHubEventsOptions>().BindConfiguration(GitHubEventsOptions.Section);
        builder.Services.AddSingleton<RunJobLookup>();
        builder.Services.AddSingleton<GitHubEventsHandler>();
        return builder;
    }

    /// <summary><c>POST /api/webhooks/github/events</c>: GitHub's own <c>workflow_run</c> webhooks. See docs/callbacks.md.</summary>
    public static IEndpointRouteBuilder MapGitHubEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/webhooks").WithTags("Webhooks")
            .MapPost("/github/events", ReceiveGitHubEventAsync).WithName("GitHubEvents");
        return app;
    }

    private static Task<Results<Ok<GitHubEventReceipt>, ProblemHttpResult>> ReceiveGitHubEventAsync(
        HttpRequest request, GitHubEventsHandler handler, CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
