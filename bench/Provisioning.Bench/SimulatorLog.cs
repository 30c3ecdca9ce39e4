using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Provisioning.Bench;

/// <summary>The dispatch requests the GitHub Actions simulator received (<c>GET /_simulator/requests</c>).</summary>
public static class SimulatorLog
{
    public static async Task<IReadOnlyList<DispatchRequest>> DispatchesAsync(HttpClient http, Uri simulator)
    {
        var all = await http.GetFromJsonAsync<DispatchRequest[]>(new Uri(simulator, "/_simulator/requests")) ?? [];
        return [.. all.Where(r => r.JobId is not null && r.Method == "POST")];
    }
}

public sealed record DispatchRequest(
    [property: JsonPropertyName("receivedAt")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("jobId")] string? JobId,
    [property: JsonPropertyName("status")] int? Status);
