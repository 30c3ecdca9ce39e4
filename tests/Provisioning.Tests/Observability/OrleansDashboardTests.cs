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
    [Fact]
    public async Task SiloCounters_ReachTheDashboardFromEverySilo()
    {
        // A silo samples its Orleans counters for the dashboard every Orleans:Dashboard:CounterUpdateIntervalMs (10 s).
        foreach (var silo in await SiloAddressesAsync())
        {
            var counters = await Eventually.UntilAsync(
                () => DashboardJsonAsync($"/dashboard/SiloCounters/{silo}"),
                json => json.Contains("\"orleans-", StringComparison.Ordinal),
                TimeSpan.FromSeconds(40), $"silo {silo}'s Orleans counters on the dashboard");

            using var document = JsonDocument.Parse(counters);
            var names = document.RootElement.EnumerateArray().Select(counter => counter.GetProperty("name").GetString()).ToList();
            Assert.Contains(names, name => name!.StartsWith("orleans-catalog-activation", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SiloProperties_NameTheOrleansVersion()
    {
        var silo = (await SiloAddressesAsync())[0];

        var properties = await DashboardJsonAsync($"/dashboard/SiloProperties/{silo}");

        using var document = JsonDocument.Parse(properties);
        var version = document.RootElement.GetProperty("orleansVersion").GetString();
        Assert.Contains($"({typeof(Orleans.Runtime.SiloAddress).Assembly.GetName().Version})", version);
    }

    private async Task<List<string>> SiloAddressesAsync()
    {
        var hosts = await Eventually.UntilAsync(async () =>
        {
            using var counters = JsonDocument.Parse(await DashboardJsonAsync("/dashboard/DashboardCounters"));
            return counters.RootElement.GetProperty("hosts").EnumerateArray()
                .Select(host => host.GetProperty("siloAddress").GetString()!).ToList();
        }, addresses => addresses.Count == system.Silos.Count, TimeSpan.FromSeconds(30), "the dashboard to list every silo");
        return hosts;
    }

    private async Task<string> DashboardJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestSecrets.OperatorKey);
        var response = await system.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
