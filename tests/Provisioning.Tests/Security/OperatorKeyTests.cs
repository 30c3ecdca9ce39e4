using System.Net;
using System.Net.Http.Headers;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Security;

/// <summary>
/// Operator keys under attack, against real gateway processes (no cluster needed: keys are checked before any grain is
/// called): wrong keys are limited per address on every endpoint and counted before they are checked, weak keys stop the
/// gateway at start, the sign-in form takes only small urlencoded bodies, and a request path cannot forge a log line.
/// </summary>
public sealed class OperatorKeyTests
{
    [Fact]
    public async Task ApiKeys_ParallelWrongGuesses_OnlyTheAllowedFailuresAreCheckedThen429()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = StartGateway(url, new() { ["Gateway__KeyFailuresPerMinute"] = "3" });
        using var http = await ConnectAsync(url);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => GetJobsAsync(http, $"op_wrong_guess_number_{i:D2}_abcdefXYZ")));
        var right = await GetJobsAsync(http, TestSecrets.OperatorKey);

        Assert.Equal(3, answers.Count(a => a.Status == HttpStatusCode.Unauthorized));
        Assert.Equal(17, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.TooManyRequests), a => Assert.InRange(a.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
    }

    [Fact]
    public async Task ApiKeys_RightKeys_DoNotCountAsFailures()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = StartGateway(url, new() { ["Gateway__KeyFailuresPerMinute"] = "2" });
        using var http = await ConnectAsync(url);

        for (var i = 0; i < 5; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await GetJobsAsync(http, TestSecrets.OperatorKey)).Status);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetJobsAsync(http, "op_one_wrong_guess_abcdefXYZ123")).Status);
    }

    [Theory]
    [InlineData("op_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("0123456789abcdef0123")]
    [InlineData("op_Zq3xN8vY0pL")]
    public async Task Gateway_WithWeakOperatorKey_ExitsNamingTheKey(string key)
    {
        await using var gateway = StartGateway($"http://127.0.0.1:{FreePort.Next()}", new() { ["Gateway__OperatorKeys__carol"] = key });

        Assert.Equal(1, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Gateway:OperatorKeys:carol is not a usable operator key: it must hold at least 128 random bits", gateway.Output);
    }

    [Fact]
    public async Task SignIn_LargeOrNonUrlencodedForm_RefusedWithoutCheckingAKey()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = StartGateway(url, new());
        using var http = await ConnectAsync(url);

        using var large = await http.PostAsync("/dashboard/sign-in",
            new FormUrlEncodedContent([KeyValuePair.Create("key", TestSecrets.OperatorKey), KeyValuePair.Create("padding", new string('x', 4096))]));
        using var multipart = await http.PostAsync("/dashboard/sign-in", new MultipartFormDataContent { { new StringContent(TestSecrets.OperatorKey), "key" } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, multipart.StatusCode);
        Assert.False(large.Headers.Contains("Set-Cookie"));
        Assert.False(multipart.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task RejectedKey_PathWithLineBreak_LoggedEscapedOnOneLine()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = StartGateway(url, new());
        using var http = await ConnectAsync(url);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs/evt%0Aforged: operator alice signed in");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "op_wrong_key_for_the_log_test_XYZ");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await gateway.WaitForOutputAsync("the operator key presented is not valid", TimeSpan.FromSeconds(10));
        Assert.Contains("/api/jobs/evt\\nforged: operator alice signed in", gateway.Output);
        Assert.DoesNotContain(gateway.Output.Split('\n'), line => line.TrimStart().StartsWith("forged", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter)> GetJobsAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs?limit=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta);
    }

    private static async Task<HttpClient> ConnectAsync(string url)
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        await Eventually.UntilAsync(async () => (await http.GetAsync("/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the gateway's /healthz");
        return http;
    }

    private static HostProcess StartGateway(string url, Dictionary<string, string?> settings) =>
        GatewayWithoutCluster.Start(new Dictionary<string, string?>(settings)
        {
            ["Callbacks__Secrets__0"] = TestSecrets.CallbackSecret,
            ["Gateway__RequireKeyForReads"] = "true",
            [$"Gateway__OperatorKeys__{TestSecrets.OperatorName}"] = TestSecrets.OperatorKey,
        }, url);
}
