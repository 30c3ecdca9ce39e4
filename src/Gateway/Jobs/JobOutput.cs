using System.Text.Json;

namespace Provisioning.Gateway.Jobs;

/// <summary>A job's <c>output</c>: the JSON object its succeeded run reported, sent to clients as JSON, not as a string.</summary>
public static class JobOutput
{
    /// <summary>The output as a JSON value, or null when there is none (or the stored text is not JSON).</summary>
    public static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
