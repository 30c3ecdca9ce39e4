using System.Net;
using System.Net.Http.Headers;
using Provisioning.Tests.Callbacks;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Operators;

/// <summary>
/// Who may read the API: anyone while the gateway listens on loopback only (the test systems do), operators only when
/// <c>Gateway:RequireKeyForReads</c> is true (the default on any other address).
/// </summary>
[Collection(CallbackCollection.Name)]
public sealed class ReadAccessTests(CallbackSystemFixture fixture)
{
    [Fact]
    public async Task GetJob_GatewayOnLoopbackOnly_OpenWithoutKey()
    {
        var jobId = await fixture.CreateJobAsync();

        using var response = await fixture.Http.GetAsync($"/api/jobs/{jobId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Host", "rebound.example")]
    [InlineData("Host", "10.0.0.7")]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("Via", "1.1 tunnel")]
    public async Task GetJob_OpenReadsButForeignHostOrForwarded_401UnlessKey(string header, string value)
    {
        var jobId = await fixture.CreateJobAsync();

        var anonymous = await GetAsync(fixture.Http, $"/api/jobs/{jobId}", null, (header, value));
        var withKey = await GetAsync(fixture.Http, $"/api/jobs/{jobId}", new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey), (header, value));
        var localName = await GetAsync(fixture.Http, $"/api/jobs/{jobId}", null, ("Host", $"localhost:{fixture.Http.BaseAddress!.Port}"));

        Assert.Equal((HttpStatusCode.Unauthorized, "Bearer"), anonymous);
        Assert.Equal(HttpStatusCode.OK, withKey.Status);
        Assert.Equal(HttpStatusCode.OK, localName.Status);
    }

    [Fact]
    public async Task Reads_RequireKeyForReadsTrue_401WithoutOrWithWrongKeyAnd200WithKey()
    {
        var jobId = await fixture.CreateJobAsync();
        var (gateway, url) = await fixture.System.Cluster.StartGatewayAsync(new Dictionary<string, string?> { ["Gateway__RequireKeyForReads"] = "true" });
        try
        {
            using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
            await Eventually.UntilAsync(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the second gateway's /readyz");

            var anonymous = await GetAsync(http, $"/api/jobs/{jobId}", null);
            var wrongKey = await GetAsync(http, "/api/jobs?limit=1", new AuthenticationHeaderValue("Bearer", "op_not_a_configured_key_at_all"));
            var withKey = await GetAsync(http, $"/api/jobs/{jobId}", new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey));
            var listing = await GetAsync(http, "/api/jobs?limit=1", new AuthenticationHeaderValue("Bearer", TestSecrets.SecondOperatorKey));
            using var health = await http.GetAsync("/healthz");

            Assert.Equal((HttpStatusCode.Unauthorized, "Bearer"), anonymous);
            Assert.Equal((HttpStatusCode.Unauthorized, "Bearer"), wrongKey);
            Assert.Equal(HttpStatusCode.OK, withKey.Status);
            Assert.Equal(HttpStatusCode.OK, listing.Status);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("Read-only endpoints need an operator key", gateway.Output);
        }
        finally
        {
            await gateway.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<(HttpStatusCode Status, string? Challenge)> GetAsync(
        HttpClient http, string path, AuthenticationHeaderValue? authorization, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        if (header is { } extra)
        {
            request.Headers.TryAddWithoutValidation(extra.Name, extra.Value);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.WwwAuthenticate.FirstOrDefault()?.Scheme);
    }
}
