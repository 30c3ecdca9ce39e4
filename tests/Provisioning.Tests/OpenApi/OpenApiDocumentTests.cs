using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.OpenApi;

/// <summary>The gateway's OpenAPI document at <c>/openapi/v1.json</c>, fetched over HTTP from the running gateway.</summary>
public sealed class OpenApiDocumentTests(TestSystem system) : IClassFixture<TestSystem>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [Fact]
    public async Task OpenApiDocument_WithoutKey_IsServedAsOpenApi3()
    {
        var response = await system.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString());
        Assert.Equal("Provisioning gateway", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_ComparedWithMappedEndpoints_DescribesEveryRoute()
    {
        using var document = await LoadAsync();
        var described = Operations(document).Select(o => $"{o.Method} {o.Path}").ToHashSet();

        var mapped = await GatewayEndpoints.ListAsync(system);

        Assert.NotEmpty(mapped);
        // Left out on purpose, and only these: the Orleans dashboard (a UI and its data feed, not part of the API), the Prometheus
        // scrape endpoint (metrics in Prometheus' own format, docs/observability.md) and the document itself.
        var leftOut = mapped.Where(r => r.ExcludedFromDescription || r.Path == "/openapi/v1.json").ToList();
        Assert.All(leftOut, r => Assert.True(r.Path is "/openapi/v1.json" or "/metrics" || r.Path.StartsWith("/dashboard", StringComparison.Ordinal), $"{r} is left out of the OpenAPI document"));
        var missing = mapped.Except(leftOut).Where(r => !described.Contains(r.ToString())).ToList();
        Assert.True(missing.Count == 0, "not in /openapi/v1.json: " + string.Join(", ", missing));
        Assert.Contains(mapped, r => r.ToString() == "GET /api/jobs/{jobId}");
        Assert.Contains(mapped, r => r.ToString() == "POST /api/webhooks/stripe");
    }

    [Fact]
    public async Task OpenApiDocument_ErrorResponses_AreProblemDetails()
    {
        using var document = await LoadAsync();
        var operations = Operations(document).ToList();

        var errors = operations
            .SelectMany(o => o.Responses.EnumerateObject()
                .Where(r => r.Name[0] is '4' or '5')
                .Select(r => (Operation: $"{o.Method} {o.Path}", Status: r.Name, Response: r.Value)))
            .ToList();

        // Every operation of the API declares its error answers ...
        Assert.All(operations.Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)),
            o => Assert.True(o.Responses.EnumerateObject().Any(r => r.Name[0] is '4' or '5'), $"{o.Method} {o.Path} declares no error answer"));
        // ... and each is RFC 7807 problem details.
        Assert.All(errors, e =>
        {
            Assert.True(e.Response.TryGetProperty("content", out var content), $"{e.Operation} {e.Status} has no content");
            Assert.True(content.TryGetProperty("application/problem+json", out var problem), $"{e.Operation} {e.Status} is not application/problem+json");
            var schema = Resolve(document, problem.GetProperty("schema"));
            var properties = schema.GetProperty("properties");
            Assert.True(properties.TryGetProperty("title", out _) && properties.TryGetProperty("status", out _),
                $"{e.Operation} {e.Status} is not a problem-details shape");
        });
        Assert.Contains(errors, e => e.Operation == "GET /api/jobs/{jobId}" && e.Status == "404");
        Assert.Contains(errors, e => e.Operation == "POST /api/webhooks/stripe" && e.Status == "503");
    }

    private async Task<JsonDocument> LoadAsync()
    {
        var response = await system.Http.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<(string Method, string Path, JsonElement Responses)> Operations(JsonDocument document) =>
        document.RootElement.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(op => Methods.Contains(op.Name))
            .Select(op => (op.Name.ToUpperInvariant(), path.Name,
                op.Value.TryGetProperty("responses", out var responses) ? responses : default)))
            .Where(o => o.Item3.ValueKind == JsonValueKind.Object);

    private static JsonElement Resolve(JsonDocument document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!.Split('/')[^1];
        return document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
