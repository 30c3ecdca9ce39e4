using System.Net;
using System.Text.Json;

namespace Provisioning.Tests.Api;

/// <summary>A gateway answer as raw JSON, so tests see the exact names and values clients get.</summary>
public sealed record ApiJson(HttpStatusCode Status, string? ContentType, JsonElement Body)
{
    public static async Task<ApiJson> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(text) ? "null" : text);
        return new ApiJson(response.StatusCode, response.Content.Headers.ContentType?.MediaType, document.RootElement.Clone());
    }

    public override string ToString() => $"{(int)Status} {ContentType} {Body}";
}
