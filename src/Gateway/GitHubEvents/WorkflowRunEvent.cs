using System.Globalization;
using System.Text.Json;
using GitHubWorkflowRunEvent = Octokit.Webhooks.Events.WorkflowRunEvent;

namespace Provisioning.Gateway.GitHubEvents;

/// <summary>
/// The fields of a <c>workflow_run</c> webhook the service acts on: the action, and the run's id, conclusion and titles
/// (<c>display_title</c> is the workflow's <c>run-name</c>, which names the job). Read through Octokit.Webhooks' typed payload.
/// </summary>
public sealed record WorkflowRunEvent(string Action, string RunId, string? Conclusion, string? DisplayTitle, string? Name)
{
    /// <summary>The event, or why the body is not a <c>workflow_run</c> event.</summary>
    public static (WorkflowRunEvent? Event, string? Error) Read(ReadOnlySpan<byte> body)
    {
        try
        {
            if (JsonSerializer.Deserialize<GitHubWorkflowRunEvent>(body) is not { Action: { } action, WorkflowRun: { } run })
            {
                return (null, "a workflow_run event has \"action\" and \"workflow_run\"");
            }

            return (new WorkflowRunEvent(
                action,
                run.Id.ToString(CultureInfo.InvariantCulture),
                run.Conclusion?.StringValue,
                run.DisplayTitle,
                run.Name), null);
        }
        catch (JsonException ex)
        {
            return (null, $"the body is not a workflow_run payload GitHub sends: {ex.Message}");
        }
    }
}
