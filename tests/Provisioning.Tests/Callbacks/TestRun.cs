using System.Text.Json.Nodes;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Callbacks;

/// <summary>
/// One GitHub Actions run of a job's attempt, as the tests play it: it sends the callbacks the workflow sends, signed with
/// <see cref="CallbackSigner"/>, with the values as a workflow has them (inputs are strings: <c>attempt</c> is <c>"1"</c>).
/// </summary>
public sealed class TestRun(HttpClient http, string jobId, int attempt, string runId)
{
    public string JobId => jobId;

    public int Attempt => attempt;

    public string RunId => runId;

    public string RunUrl => $"https://github.com/acme/agents/actions/runs/{runId}";

    /// <summary>Another run of the same attempt (a duplicate run), or this run calling back for another attempt.</summary>
    public TestRun With(string? otherRunId = null, int? otherAttempt = null) => new(http, jobId, otherAttempt ?? attempt, otherRunId ?? runId);

    public Task<WebhookAnswer> ClaimAsync() => SendAsync("claim");

    public Task<WebhookAnswer> HeartbeatAsync(string? id = null) => SendAsync("heartbeat", id: id);

    public Task<WebhookAnswer> CompleteAsync(JsonObject output) => SendAsync("complete", new JsonObject { ["output"] = output });

    public Task<WebhookAnswer> FailAsync(string message, bool retryable) =>
        SendAsync("fail", new JsonObject { ["message"] = message, ["retryable"] = retryable });

    /// <summary>Sends one callback; <paramref name="id"/> is its <c>webhook-id</c> (new unless given).</summary>
    public Task<WebhookAnswer> SendAsync(string callbackEvent, JsonObject? extra = null, string? id = null) =>
        http.SendWebhookAsync(CallbackSigner.Request(Body(callbackEvent, extra), id));

    /// <summary>The JSON body of a callback.</summary>
    public string Body(string callbackEvent, JsonObject? extra = null)
    {
        var body = new JsonObject
        {
            ["job_id"] = jobId,
            ["attempt"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["event"] = callbackEvent,
            ["run_id"] = runId,
            ["run_attempt"] = "1",
            ["run_url"] = RunUrl,
        };
        foreach (var (name, value) in extra ?? [])
        {
            body[name] = value?.DeepClone();
        }

        return body.ToJsonString();
    }
}
