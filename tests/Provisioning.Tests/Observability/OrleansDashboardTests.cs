using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Observability;

/// <summary>The Orleans dashboard the gateway serves at <c>/dashboard</c>, for operators only.</summary>
public sealed class OrleansDashboardTests(TestSystem system) : IClassFixture<TestSystem>
{
    [Fact]
    public async Task Dashboard_WithoutOperatorKey_Answers401()
    {
        var response = await system.Http.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_WithWrongKey_Answers401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "op_not_a_key_of_anyone_here");

        var response = await system.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_WithOperatorBearerKey_Answers200WithThePage()
    {
        // "/dashboard/": "/dashboard" redirects there, and HttpClient drops the Authorization header when it follows a redirect.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);

        var response = await system.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_WithOperatorApiKeyHeader_Answers200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        request.Headers.Add("X-Api-Key", TestSecrets.OperatorKey);

        var response = await system.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DashboardCounters_WithOperatorKey_ListTheRunningSilo()
    {
        // The silos collect the statistics (AddDashboard on every silo); the gateway's client reads them.
        var hosts = await Eventually.UntilAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/DashboardCounters");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);
            var response = await system.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            using var counters = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return counters.RootElement.GetProperty("hosts").GetArrayLength();
        }, count => count >= 1, TimeSpan.FromSeconds(30), "the dashboard's counters to list a silo");

        Assert.Equal(system.Silos.Count, hosts);
    }
}
