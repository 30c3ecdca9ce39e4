using System.Net;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Operators;

/// <summary>
/// The dashboard's sign-in form cannot be used to guess operator keys: past <c>Gateway:KeyFailuresPerMinute</c>
/// failed sign-ins from one address, every sign-in from it is refused with 429 and <c>Retry-After</c> until the minute ends,
/// even with a right key, and no session is issued. The sign-in needs no cluster, so these gateways run without one.
/// </summary>
public sealed class OperatorKeyThrottleTests
{
    [Fact]
    public async Task SignIn_PastTheFailuresOfAMinute_429WithRetryAfterEvenForARightKeyAndNoSession()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = StartGateway(url, new Dictionary<string, string?> { ["Gateway__KeyFailuresPerMinute"] = "2" });
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        await Eventually.UntilAsync(async () => (await http.GetAsync("/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "the gateway's /healthz");

        // A right key first: successful sign-ins do not count against the address.
        using var signedIn = await http.PostAsync("/dashboard/sign-in", Form(TestSecrets.OperatorKey));
        using var first = await http.PostAsync("/dashboard/sign-in", Form("op_first_wrong_guess_of_a_key"));
        using var second = await http.PostAsync("/dashboard/sign-in", Form("op_second_wrong_guess_of_a_key"));
        using var refused = await http.PostAsync("/dashboard/sign-in", Form(TestSecrets.OperatorKey));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Contains("Too many failed sign-ins", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        const string logged = "Dashboard sign-in refused: too many failed sign-ins from 127.0.0.1";
        await gateway.WaitForOutputAsync(logged, TimeSpan.FromSeconds(10));
        Assert.Contains(logged, gateway.Output);
    }

    [Fact]
    public async Task Gateway_WithNoFailureAllowed_ExitsNamingTheSetting()
    {
        await using var gateway = StartGateway($"http://127.0.0.1:{FreePort.Next()}", new Dictionary<string, string?> { ["Gateway__KeyFailuresPerMinute"] = "0" });

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains("Gateway:KeyFailuresPerMinute must be at least 1", gateway.Output);
    }

    private static FormUrlEncodedContent Form(string key) => new([new KeyValuePair<string, string>("key", key)]);

    private static HostProcess StartGateway(string url, Dictionary<string, string?> settings) =>
        GatewayWithoutCluster.Start(new Dictionary<string, string?>(settings)
        {
            ["Callbacks__Secrets__0"] = TestSecrets.CallbackSecret,
            [$"Gateway__OperatorKeys__{TestSecrets.OperatorName}"] = TestSecrets.OperatorKey,
        }, url);
}
