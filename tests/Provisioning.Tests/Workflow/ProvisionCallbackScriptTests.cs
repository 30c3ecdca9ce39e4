using System.Text.Json;
using System.Text.RegularExpressions;

namespace Provisioning.Tests.Workflow;

/// <summary>
/// <c>scripts/provision-callback.sh</c> against a local receiver that checks Standard Webhooks signatures with its own code:
/// the body it builds, its escaping, its retries and its exit codes.
/// </summary>
public sealed partial class ProvisionCallbackScriptTests : IAsyncLifetime
{
    private readonly string _jobId = $"evt_{Guid.NewGuid():N}";
    private CallbackReceiver _receiver = null!;

    public Task InitializeAsync()
    {
        _receiver = CallbackReceiver.Start(CallbackScript.Secret);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Claim_InGitHubActions_SendsSignedBodyWithRunFields()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var result = await RunAsync(Env(attempt: "2"), "claim");

        Assert.True(result.ExitCode == 0, result.ToString());
        var callback = Assert.Single(_receiver.Received);
        Assert.True(callback.SignatureValid, $"signature {callback.Signature} does not verify");
        Assert.Equal(("POST", "/api/webhooks/github"), (callback.Method, callback.Path));
        Assert.StartsWith("application/json", callback.ContentType, StringComparison.Ordinal);
        Assert.Matches(MessageId(), callback.WebhookId);
        Assert.InRange(callback.SignedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(
            $$"""{"job_id":"{{_jobId}}","attempt":2,"event":"claim","run_id":"987654321","run_attempt":1,"run_url":"https://github.com/acme/agent-infra/actions/runs/987654321"}""",
            callback.Body);
        Assert.Contains("\"status\":\"provisioning\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_MessageWithQuotesNewlinesAndControlCharacters_IsEscapedJson()
    {
        const string message = "he said \"stop\"\nline two\ttabbed \\ back\\slash \r carriage é ünïcode \u0001 \u001f end";

        var result = await RunAsync(Env(), "fail", "--message", message, "--retryable");

        Assert.True(result.ExitCode == 0, result.ToString());
        var callback = Assert.Single(_receiver.Received);
        Assert.True(callback.SignatureValid);
        Assert.Equal(JsonValueKind.Object, callback.Json.ValueKind);
        Assert.Equal(message, callback.Text("message"));
        Assert.True(callback.Field("retryable").GetBoolean());
        Assert.Equal("fail", callback.Event);
        Assert.DoesNotContain('\n', callback.Body);
    }

    [Fact]
    public async Task Fail_WithoutRetryable_SendsRetryableFalse()
    {
        var result = await RunAsync(Env(), "fail", "--message", "quota exceeded");

        Assert.True(result.ExitCode == 0, result.ToString());
        var callback = Assert.Single(_receiver.Received);
        Assert.False(callback.Field("retryable").GetBoolean());
        Assert.Equal("quota exceeded", callback.Text("message"));
    }

    [Fact]
    public async Task Complete_OutputAndFields_MergedIntoOneOutputObject()
    {
        var result = await RunAsync(Env(), "complete",
            "--output", """{"size": 2, "tags": ["a", "b"]}""", "--field", "endpoint=https://agent.example.com/?q=\"x\"", "--field", "region=eu-west");

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = Assert.Single(_receiver.Received).Field("output");
        Assert.Equal(2, output.GetProperty("size").GetInt32());
        Assert.Equal(["a", "b"], output.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("https://agent.example.com/?q=\"x\"", output.GetProperty("endpoint").GetString());
        Assert.Equal("eu-west", output.GetProperty("region").GetString());
    }

    [Fact]
    public async Task Heartbeat_JobIdWithQuotesAndNoRunVariables_SendsEscapedJobIdOnly()
    {
        var env = Env();
        env["JOB_ID"] = "evt_\"odd\\id";
        foreach (var name in new[] { "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY" })
        {
            env.Remove(name);
        }

        var result = await RunAsync(env, "heartbeat");

        Assert.True(result.ExitCode == 0, result.ToString());
        var callback = Assert.Single(_receiver.Received);
        Assert.True(callback.SignatureValid);
        Assert.Equal("evt_\"odd\\id", callback.JobId);
        Assert.Equal(["job_id", "attempt", "event"], callback.Json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Claim_SecretWithoutPrefix_SignsWithTheSameKey()
    {
        var result = await RunAsync(Env(secret: CallbackScript.Secret["whsec_".Length..]), "claim");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(Assert.Single(_receiver.Received).SignatureValid);
    }

    [Theory]
    [InlineData("claim")]
    [InlineData("heartbeat")]
    [InlineData("complete")]
    [InlineData("fail")]
    public async Task AnyEvent_Answered409_ExitCode3AndPrintsTheProblem(string callbackEvent)
    {
        _receiver.Answer = (_, _) => CallbackAnswer.Conflict;

        var result = await RunAsync(Env(), callbackEvent);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Single(_receiver.Received);
        Assert.Contains("\"status\":\"cancelled\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("must stop", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_Answered503ThenOk_RetriesWithTheSameWebhookIdAndExits0()
    {
        _receiver.Answer = (_, index) => index == 0 ? CallbackAnswer.Unavailable : CallbackAnswer.Ok;

        var result = await RunAsync(Env(), "claim");

        Assert.True(result.ExitCode == 0, result.ToString());
        var tries = _receiver.Received;
        Assert.Equal(2, tries.Count);
        Assert.All(tries, t => Assert.True(t.SignatureValid));
        Assert.Equal(tries[0].WebhookId, tries[1].WebhookId);
        Assert.Equal(tries[0].Body, tries[1].Body);
    }

    [Fact]
    public async Task Claim_AlwaysUnavailable_GivesUpAfterCallbackTriesWithExitCode1()
    {
        _receiver.Answer = (_, _) => CallbackAnswer.Unavailable;
        var env = Env();
        env["CALLBACK_TRIES"] = "3";

        var result = await RunAsync(env, "claim");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(3, _receiver.Received.Count);
        Assert.Contains("giving up", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    public async Task Claim_AnsweredOther4xx_ExitCode1WithoutRetry(int status)
    {
        _receiver.Answer = (_, _) => new CallbackAnswer(status, """{"title":"refused"}""");

        var result = await RunAsync(Env(), "claim");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task Claim_NothingListening_RetriesThenExitCode1()
    {
        var env = Env();
        env["CALLBACK_URL"] = $"http://127.0.0.1:{Infrastructure.FreePort.Next()}/api/webhooks/github";
        env["CALLBACK_TRIES"] = "2";

        var result = await RunAsync(env, "claim");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no answer on try 1 of 2", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("provision", null, null, "unknown event")]
    [InlineData("claim", "PROVISIONING_CALLBACK_SECRET", "", "PROVISIONING_CALLBACK_SECRET is not set")]
    [InlineData("claim", "PROVISIONING_CALLBACK_SECRET", "whsec_not base64!", "PROVISIONING_CALLBACK_SECRET must be")]
    [InlineData("claim", "CALLBACK_URL", "", "CALLBACK_URL is not set")]
    [InlineData("claim", "ATTEMPT", "one", "ATTEMPT must be a positive whole number")]
    [InlineData("claim", "GITHUB_RUN_ID", "12a", "GITHUB_RUN_ID must be a number")]
    [InlineData("complete --output [1,2]", null, null, "--output must be a JSON object")]
    [InlineData("complete --field novalue", null, null, "--field needs KEY=VALUE")]
    [InlineData("claim --force", null, null, "unknown option '--force'")]
    public async Task BadUsage_ExitCode2NamingTheProblemAndSendsNothing(string arguments, string? variable, string? value, string problem)
    {
        var env = Env();
        if (variable is not null)
        {
            env[variable] = value;
        }

        var result = await RunAsync(env, arguments.Split(' '));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(problem, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Theory]
    [InlineData("http://evil.example.com/api/webhooks/github", "must be https://")]
    [InlineData("http://10.0.0.5:8080/api/webhooks/github", "must be https://")]
    [InlineData("http://127.0.0.1.evil.example.com/api/webhooks/github", "must be https://")]
    [InlineData("http://localhost.evil.example.com/api/webhooks/github", "must be https://")]
    [InlineData("http://127.0.0.1@evil.example.com/api/webhooks/github", "must name a plain host (and port), without a user part")]
    [InlineData("https://user:pass@gateway.example.com/api/webhooks/github", "must name a plain host (and port), without a user part")]
    [InlineData("ftp://gateway.example.com/api/webhooks/github", "must be an absolute https:// URL")]
    [InlineData("file:///etc/passwd", "must be an absolute https:// URL")]
    [InlineData("gateway.example.com/api/webhooks/github", "must be an absolute https:// URL")]
    public async Task Claim_CallbackUrlNotHttpsNorLoopback_ExitCode2AndSendsNothing(string url, string problem)
    {
        var env = Env();
        env["CALLBACK_URL"] = url;

        var result = await RunAsync(env, "claim");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"CALLBACK_URL {problem}", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("try 1", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claim_LoopbackHttp_Sent()
    {
        var env = Env();
        env["CALLBACK_URL"] = $"http://127.0.0.1:{_receiver.Url.Port}/api/webhooks/github";

        var result = await RunAsync(env, "claim");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(Assert.Single(_receiver.Received).SignatureValid);
    }

    [Fact]
    public async Task Claim_HttpsToAnotherHost_PassesTheCheckAndIsSent()
    {
        var env = Env();
        // Nothing answers TLS on this loopback port: the script gets past its address check and tries to send.
        env["CALLBACK_URL"] = $"https://127.0.0.1:{_receiver.Url.Port}/api/webhooks/github";
        env["CALLBACK_TRIES"] = "1";

        var result = await RunAsync(env, "claim");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no answer on try 1", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_NeverPrintsTheSecretOrTheSignature()
    {
        _receiver.Answer = (_, index) => index == 0 ? CallbackAnswer.Unavailable : CallbackAnswer.Conflict;

        var result = await RunAsync(Env(), "fail", "--message", "boom");

        Assert.True(result.ExitCode == 3, result.ToString());
        var printed = result.Stdout + result.Stderr;
        var key = CallbackScript.Secret["whsec_".Length..];
        Assert.DoesNotContain(key, printed, StringComparison.Ordinal);
        Assert.All(_receiver.Received, r => Assert.DoesNotContain(r.Signature![3..], printed, StringComparison.Ordinal));
    }

    private Dictionary<string, string?> Env(string attempt = "1", string secret = CallbackScript.Secret) =>
        CallbackScript.Environment(_receiver.Url, _jobId, attempt, secret);

    private static Task<ScriptResult> RunAsync(Dictionary<string, string?> env, params string[] arguments) => CallbackScript.RunAsync(env, arguments);

    [GeneratedRegex("^msg_[0-9a-f]{32}$")]
    private static partial Regex MessageId();
}
