using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Workflow;

/// <summary>
/// <c>scripts/provision-callback.sh</c> against the real gateway (separate processes, PostgreSQL): the signatures the
/// workflow makes verify, and the script's exit codes follow the gateway's answers. No simulator runs, so only the script
/// calls back (the job stays <c>queued</c> until it claims: its dispatch goes nowhere).
/// </summary>
public sealed class ProvisionCallbackGatewayTests(TestSystem system) : IClassFixture<TestSystem>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Script_ClaimHeartbeatComplete_JobSucceedsWithRunAndOutput()
    {
        var jobId = await PaidCheckoutAsync();

        var claim = await RunAsync(jobId, "claim");
        var heartbeat = await RunAsync(jobId, "heartbeat");
        var complete = await RunAsync(jobId, "complete", "--field", "endpoint=https://agent.example.com/\"quoted\"", "--output", """{"port":8443}""");

        Assert.True(claim.ExitCode == 0, claim.ToString());
        Assert.Contains("provisioning", claim.Stdout, StringComparison.Ordinal);
        Assert.True(heartbeat.ExitCode == 0, heartbeat.ToString());
        Assert.True(complete.ExitCode == 0, complete.ToString());
        var job = await GetJobAsync(jobId);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal("987654321", job.GetProperty("runId").GetString());
        Assert.Equal("https://github.com/acme/agent-infra/actions/runs/987654321", job.GetProperty("runUrl").GetString());
        var output = job.GetProperty("output");
        Assert.Equal("https://agent.example.com/\"quoted\"", output.GetProperty("endpoint").GetString());
        Assert.Equal(8443, output.GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task Script_FailNotRetryable_JobFailedWithTheEscapedMessage()
    {
        var jobId = await PaidCheckoutAsync();
        const string message = "quota \"eu-west\" exceeded\nsee the logs\\now";

        var claim = await RunAsync(jobId, "claim");
        var fail = await RunAsync(jobId, "fail", "--message", message);

        Assert.True(claim.ExitCode == 0, claim.ToString());
        Assert.True(fail.ExitCode == 0, fail.ToString());
        var job = await GetJobAsync(jobId);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal($"run 987654321 failed: {message}", job.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Script_StaleAttempt_ExitCode3AndJobUnchanged()
    {
        var jobId = await PaidCheckoutAsync();

        var stale = await RunAsAsync(jobId, "2", TestSecrets.CallbackSecret, "claim");

        Assert.True(stale.ExitCode == 3, stale.ToString());
        using var problem = JsonDocument.Parse(stale.Stdout);
        Assert.Equal(1, problem.RootElement.GetProperty("attempt").GetInt32());
        Assert.NotEqual("provisioning", (await GetJobAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Script_AfterTheJobSucceeded_EveryCallbackExitCode3()
    {
        var jobId = await PaidCheckoutAsync();
        Assert.Equal(0, (await RunAsync(jobId, "claim")).ExitCode);
        Assert.Equal(0, (await RunAsync(jobId, "complete", "--field", "endpoint=https://a.example.com")).ExitCode);

        var heartbeat = await RunAsync(jobId, "heartbeat");
        var fail = await RunAsync(jobId, "fail", "--message", "too late");

        Assert.True(heartbeat.ExitCode == 3, heartbeat.ToString());
        Assert.True(fail.ExitCode == 3, fail.ToString());
        Assert.Equal("succeeded", (await GetJobAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Script_WrongSecret_ExitCode1WithoutRetryAndJobUnchanged()
    {
        var jobId = await PaidCheckoutAsync();

        var forged = await RunAsAsync(jobId, "1", "whsec_" + Convert.ToBase64String("not-the-secret-of-this-gateway!!"u8.ToArray()), "claim");

        Assert.True(forged.ExitCode == 1, forged.ToString());
        Assert.Contains("401", forged.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("try 2", forged.Stderr, StringComparison.Ordinal);
        Assert.NotEqual("provisioning", (await GetJobAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Script_PreviousSecretDuringRotation_Accepted()
    {
        var jobId = await PaidCheckoutAsync();

        var claim = await RunAsAsync(jobId, "1", TestSecrets.CallbackSecretPrevious, "claim");

        Assert.True(claim.ExitCode == 0, claim.ToString());
        Assert.Equal("provisioning", (await GetJobAsync(jobId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Script_UnknownJob_ExitCode1()
    {
        var result = await RunAsync($"evt_test_{Guid.NewGuid():N}", "claim");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("404", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<string> PaidCheckoutAsync()
    {
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"), "eu-west");
        var answer = await system.Http.DeliverAsync(checkout);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        await Eventually.UntilAsync(async () => (await system.Http.GetAsync($"/api/jobs/{checkout.Id}")).StatusCode == HttpStatusCode.OK,
            Deadline, $"job {checkout.Id}");
        return checkout.Id;
    }

    private async Task<JsonElement> GetJobAsync(string jobId)
    {
        using var document = JsonDocument.Parse(await system.Http.GetStringAsync($"/api/jobs/{jobId}"));
        return document.RootElement.Clone();
    }

    private Task<ScriptResult> RunAsync(string jobId, params string[] arguments) => RunAsAsync(jobId, "1", TestSecrets.CallbackSecret, arguments);

    private Task<ScriptResult> RunAsAsync(string jobId, string attempt, string secret, params string[] arguments) =>
        CallbackScript.RunAsync(
            CallbackScript.Environment(new Uri(system.GatewayUrl, "/api/webhooks/github"), jobId, attempt, secret), arguments);
}
