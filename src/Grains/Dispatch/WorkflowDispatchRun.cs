namespace Provisioning.Grains.Dispatch;

/// <summary>The body of a 200 to a dispatch with <c>return_run_details</c>; Octokit maps the snake_case fields.</summary>
public sealed class WorkflowDispatchRun
{
    public long? WorkflowRunId { get; set; }

    public string? RunUrl { get; set; }

    public string? HtmlUrl { get; set; }
}
