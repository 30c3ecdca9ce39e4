using System.Globalization;
using System.Text.Json;

namespace Provisioning.Gateway.GitHubEvents;

/// <summary>
/// The fields of a <c>workflow_run</c> webhook the service acts on: the action, and the run's id, conclusion and titles
/// (<c>display_title</c> is the workflow's <c>run-name</c>, which names the job).
/// </summary>
public sealed record WorkflowRunEvent(string Action, string RunId, string? Conclusion, string? DisplayTitle, string? Name)
{
    /// <summary>The event, or why the body is not a <c>workflow_run</c> event.</summary>
    public static (WorkflowRunEvent? Event, string? Error) Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("workflow_run", out var run) || run.ValueKind != JsonValueKind.Object
                || !run.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var runId))
            {
                return (null, "a workflow_run event has \"action\" and \"workflow_run.id\"");
            }

            return (new WorkflowRunEvent(
                action.GetString()!,
                runId.ToString(CultureInfo.InvariantCulture),
                Text(run, "conclusion"),
                Text(run, "display_title"),
                Text(run, "name")), null);
        }
        catch (JsonException ex)
        {
            return (null, $"the body is not valid JSON: {ex.Message}");
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
