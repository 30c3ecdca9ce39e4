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

    /// <summary>
    /// Waits, up to <paramref name="limit"/>, until the simulator has received a dispatch request for every one of
    /// <paramref name="jobIds"/>: the system has caught up with the work a phase left behind. Answers how many it still lacks.
    /// </summary>
    public static async Task<int> UntilDispatchedAsync(HttpClient http, Uri simulator, IReadOnlyCollection<string> jobIds, TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            var seen = (await DispatchesAsync(http, simulator)).Select(d => d.JobId!).ToHashSet(StringComparer.Ordinal);
            var missing = jobIds.Count(id => !seen.Contains(id));
            if (missing == 0 || DateTimeOffset.UtcNow > deadline)
            {
                return missing;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}

public sealed record DispatchRequest(
    [property: JsonPropertyName("receivedAt")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("jobId")] string? JobId,
    [property: JsonPropertyName("status")] int? Status);
