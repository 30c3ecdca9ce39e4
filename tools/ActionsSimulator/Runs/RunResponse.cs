namespace Provisioning.ActionsSimulator.Runs;

/// <summary>The part of GitHub's workflow run object the simulator knows (<c>GET /repos/{owner}/{repo}/actions/runs/{id}</c>).</summary>
public sealed record RunResponse(
    long Id,
    string Name,
    string DisplayTitle,
    string HeadBranch,
    string Path,
    long WorkflowId,
    int RunNumber,
    int RunAttempt,
    string Event,
    string Status,
    string? Conclusion,
    string Url,
    string HtmlUrl,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime RunStartedAt)
{
    public static RunResponse Of(WorkflowRun run) => new(
        run.Id,
        run.Workflow.Name,
        run.Workflow.Name,
        run.Ref,
        run.Workflow.Path,
        run.Workflow.Id,
        run.RunNumber,
        1,
        "workflow_dispatch",
        run.Status,
        run.Conclusion,
        run.Url,
        run.HtmlUrl,
        Seconds(run.CreatedAt),
        Seconds(run.UpdatedAt),
        Seconds(run.CreatedAt));

    /// <summary>GitHub's timestamps: UTC, whole seconds, written <c>2026-01-02T03:04:05Z</c>.</summary>
    private static DateTime Seconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
