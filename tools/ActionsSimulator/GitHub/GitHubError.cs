namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>GitHub's error body: <c>{"message": ..., "documentation_url": ..., "status": "404"}</c>.</summary>
public sealed record GitHubError(string Message, string DocumentationUrl, string Status);
