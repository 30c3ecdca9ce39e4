using System.Text.Json;

namespace Provisioning.ActionsSimulator.Faults;

/// <summary>What a fault can match in a dispatch request's body, read leniently (the body may be invalid).</summary>
public sealed record DispatchFacts(string? JobId, bool HasRunDetailsKey, bool AsksForRunDetails)
{
    public static DispatchFacts From(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root)
        {
            return new DispatchFacts(null, false, false);
        }

        var jobId = root.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Object
            && inputs.TryGetProperty("job_id", out var job) && job.ValueKind == JsonValueKind.String
                ? job.GetString()
                : null;
        var hasKey = root.TryGetProperty("return_run_details", out var details);
        return new DispatchFacts(jobId, hasKey, hasKey && details.ValueKind == JsonValueKind.True);
    }
}
