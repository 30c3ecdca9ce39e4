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
            using var counters = JsonDocument.Parse(await DashboardJsonAsync("/dashboard/DashboardCounters"));
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

    [Fact]
    public async Task DashboardPage_BrowserWithoutKey_SentToSignIn()
    {
        using var http = Browserless();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Accept.ParseAdd("text/html");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/sign-in", response.Headers.Location?.OriginalString);
        var page = await http.GetAsync("/dashboard/sign-in");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"key\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongKey_401AndNoSession()
    {
        using var http = Browserless();

        var response = await http.PostAsync("/dashboard/sign-in", Form("op_not_a_key_of_anyone_here"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains("not an operator key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_OperatorKey_SessionCookieOpensTheDashboardOnly()
    {
        using var http = Browserless();

        var response = await http.PostAsync("/dashboard/sign-in", Form(TestSecrets.OperatorKey));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("provisioning_dashboard=", setCookie, StringComparison.Ordinal);
        foreach (var attribute in new[] { "path=/dashboard", "httponly", "samesite=strict", "expires=" })
        {
            Assert.Contains(attribute, setCookie, StringComparison.OrdinalIgnoreCase);
        }

        var cookie = setCookie.Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(http, HttpMethod.Get, "/dashboard/DashboardCounters", cookie)).StatusCode);
        // Not an operator key outside the dashboard: operator actions still need the key itself.
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(http, HttpMethod.Post, "/api/jobs/evt_none/cancel", cookie)).StatusCode);
        // A session whose name or MAC was changed opens nothing.
        var value = cookie["provisioning_dashboard=".Length..];
        var forged = $"provisioning_dashboard=someone-else{value[value.IndexOf('.', StringComparison.Ordinal)..]}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(http, HttpMethod.Get, "/dashboard/DashboardCounters", forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(http, HttpMethod.Get, "/dashboard/DashboardCounters", cookie[..^2] + "AA")).StatusCode);

        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        using var behindTls = new HttpRequestMessage(HttpMethod.Post, "/dashboard/sign-in") { Content = Form(TestSecrets.OperatorKey) };
        behindTls.Headers.Add("X-Forwarded-Proto", "https");
        Assert.Contains("secure", Assert.Single((await http.SendAsync(behindTls)).Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

        var signOut = await WithCookieAsync(http, HttpMethod.Post, "/dashboard/sign-out", cookie);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("provisioning_dashboard=;", StringComparison.Ordinal));
    }

    /// <summary>A client that neither keeps cookies nor follows redirects, so each test sees exactly what the gateway answers.</summary>
    private HttpClient Browserless() =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = system.GatewayUrl };

    private static FormUrlEncodedContent Form(string key) => new([new KeyValuePair<string, string>("key", key)]);

    private static async Task<HttpResponseMessage> WithCookieAsync(HttpClient http, HttpMethod method, string path, string cookie)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        return await http.SendAsync(request);
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
