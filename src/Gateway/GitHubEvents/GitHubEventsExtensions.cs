namespace Provisioning.Gateway.GitHubEvents;

public static class GitHubEventsExtensions
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
}
