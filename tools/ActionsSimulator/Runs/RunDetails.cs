namespace Provisioning.ActionsSimulator.Runs;

/// <summary>The 200 answer to a dispatch with <c>return_run_details: true</c>.</summary>
public sealed record RunDetails(long WorkflowRunId, string RunUrl, string HtmlUrl)
{
    public static RunDetails Of(WorkflowRun run) => new(run.Id, run.Url, run.HtmlUrl);
}
