using System.Net;
using System.Text.Json;

namespace Provisioning.Tests.Simulator;

/// <summary>A response read whole: status, headers and the JSON body GitHub sends (<c>message</c>, <c>workflow_run_id</c>, ...).</summary>
public sealed record GitHubAnswer(HttpStatusCode Status, HttpResponseMessage Response, JsonElement? Body)
{
    public string? Message => Body?.GetProperty("message").GetString();

    public string Header(string name) =>
        Response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} header");

    public static async Task<GitHubAnswer> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using (request)
        {
            var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new GitHubAnswer(response.StatusCode, response, IsJson(response) && text.Length > 0 ? Parse(text) : null);
        }
    }

    private static bool IsJson(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType == "application/json";

    private static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
