using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioning.Bench;

/// <summary>
/// The workflow dispatch requests the GitHub Actions simulator received (<c>GET /_simulator/requests</c>, with the simulator's
/// token: its control API takes no other caller).
/// </summary>
public static class SimulatorLog
{
    public static async Task<IReadOnlyList<DispatchRequest>> DispatchesAsync(HttpClient http, Uri simulator, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(simulator, "/_simulator/requests"));
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var all = await response.Content.ReadFromJsonAsync<DispatchRequest[]>() ?? [];
        return [.. all.Where(r => r.JobId is not null && r.Method == "POST" && r.Path.EndsWith("/dispatches", StringComparison.Ordinal))];
    }

    /// <summary>When the simulator received each job's first dispatch request.</summary>
    public static Dictionary<string, DateTimeOffset> FirstDispatches(IReadOnlyList<DispatchRequest> dispatches) =>
        dispatches.GroupBy(d => d.JobId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(d => d.ReceivedAt), StringComparer.Ordinal);
}

public sealed record DispatchRequest(
    [property: JsonPropertyName("receivedAt")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("jobId")] string? JobId,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("body")] JsonElement? Body)
{
    /// <summary>The job attempt the dispatch is for (<c>inputs.attempt</c>), as sent; null when the body has none.</summary>
    public string? Attempt =>
        Body is { ValueKind: JsonValueKind.Object } body
        && body.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Object
        && inputs.TryGetProperty("attempt", out var attempt)
            ? attempt.ToString()
            : null;
}
