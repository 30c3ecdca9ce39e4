using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Provisioning.Cli.Callbacks;
using Provisioning.Cli.Gateway;
using Provisioning.Cli.Output;
using Provisioning.Cli.Settings;
using Provisioning.StandardWebhooks;

namespace Provisioning.Cli.Commands;

/// <summary>
/// <c>callback ID claim|heartbeat|complete|fail</c>: sends a workflow callback signed the Standard Webhooks way, as the
/// provisioning workflow does (docs/callbacks.md), to try a workflow's side of the contract by hand.
/// </summary>
public static class CallbackCommand
{
    private static readonly Argument<string> Id = JobsCommand.JobIdArgument();

    private static readonly Argument<string> Event = new Argument<string>("event")
    {
        Description = "claim, heartbeat, complete or fail",
    }.AcceptOnlyFromAmong(CallbackBody.Events);

    private static readonly Option<int?> Attempt = new("--attempt") { Description = "The attempt (the workflow's attempt input) [default: the job's current attempt]" };

    private static readonly Option<string?> RunId = new("--run-id") { Description = "The run's id (github.run_id) [default: the job's run, as its dispatch recorded it]" };

    private static readonly Option<int?> RunAttempt = new("--run-attempt") { Description = "GitHub's re-run counter (github.run_attempt)" };

    private static readonly Option<string?> RunUrl = new("--run-url") { Description = "The run's page; on claim it replaces the address the dispatch reported" };

    private static readonly Option<string?> Message = new("--message", "-m") { Description = "On fail: what went wrong (the job's lastError); on complete: a note for the history" };

    private static readonly Option<bool> Retryable = new("--retryable") { Description = "On fail: a new attempt may succeed (the service dispatches one while attempts remain)" };

    private static readonly Option<string?> Output = new("--output") { Description = "On complete: the run's output, a JSON object" };

    private static readonly Option<string[]> Fields = new("--field")
    {
        Description = "On complete: one string field of the output, KEY=VALUE (repeatable, combines with --output)",
        HelpName = "KEY=VALUE",
    };

    private static readonly Option<string?> WebhookId = new("--webhook-id") { Description = "The webhook-id header; the same id again is a retry the job applies once [default: a new msg_... id]" };

    private static readonly Option<string?> Secret = new("--secret")
    {
        Description = "The callback signing secret, whsec_<base64> [default: $PROVISIONING_CALLBACK_SECRET, $Callbacks__Secrets__0, else .local/dev.env]",
        HelpName = "whsec_...",
    };

    private static readonly Option<string?> OperatorKey = JobsCommand.OperatorKeyOption();

    public static Command Create()
    {
        var command = new Command("callback", "Send a signed workflow callback (claim, heartbeat, complete, fail) for a job, as its workflow run would")
        {
            Id, Event, Attempt, RunId, RunAttempt, RunUrl, Message, Retryable, Output, Fields, WebhookId, Secret, OperatorKey,
        };
        command.SetCliAction(SendAsync);
        return command;
    }

    private static async Task<int> SendAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.Parse;
        var jobId = JobsCommand.JobId(context, Id);
        var callbackEvent = parse.GetValue(Event)!;
        var key = SigningKey(Secrets.CallbackSecret(context.Settings, parse.GetValue(Secret)));
        var output = CallbackBody.ReadOutput(parse.GetValue(Output), parse.GetValue(Fields) ?? []);
        if (parse.GetValue(Attempt) is < 1 || parse.GetValue(RunAttempt) is < 1)
        {
            throw CliException.Usage("--attempt and --run-attempt are whole numbers from 1");
        }

        var client = context.Client(parse.GetValue(OperatorKey));
        var attempt = parse.GetValue(Attempt);
        var runId = parse.GetValue(RunId) is { } run && !string.IsNullOrWhiteSpace(run) ? run.Trim() : null;
        if (attempt is null || runId is null)
        {
            (attempt, runId) = await CurrentRunAsync(client, jobId, attempt, runId, cancellationToken);
        }

        var body = new CallbackBody(
            jobId, attempt.Value, callbackEvent, runId, parse.GetValue(RunAttempt), parse.GetValue(RunUrl),
            parse.GetValue(Message), parse.GetValue(Retryable), output);
        var webhookId = parse.GetValue(WebhookId) is { } given && !string.IsNullOrWhiteSpace(given) ? given.Trim() : WebhookSignature.NewMessageId();
        var bytes = Encoding.UTF8.GetBytes(body.ToJson());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(key, webhookId, timestamp, bytes);

        var what = $"{callbackEvent} for job {jobId} (attempt {attempt}, run {runId})";
        var answer = await client.SendAsync(Request(bytes, webhookId, timestamp, signature), cancellationToken);
        if (answer.Status == System.Net.HttpStatusCode.Conflict)
        {
            throw new CliException(ExitCodes.Conflict, "conflict",
                $"{what}: refused (409), this run must stop: {answer.Member("detail") ?? answer.Explanation()} " +
                $"(the job is {answer.Body?.Text("jobStatus") ?? "?"} on attempt {answer.Body?.Text("attempt") ?? "?"})",
                409, answer.Body);
        }

        var receipt = GatewayClient.EnsureSuccess(answer, what).Json;
        context.Output.Document(JsonNode.Parse(receipt.GetRawText()));
        var duplicate = receipt.TryGetProperty("duplicate", out var d) && d.GetBoolean();
        context.Output.Line(
            $"{what}: accepted; the job is {receipt.Text("status")} (attempt {receipt.Text("attempt")})" +
            (duplicate ? $"; webhook-id {webhookId} was applied before, nothing changed" : ""));
        return ExitCodes.Ok;
    }

    /// <summary>The attempt and run id not given on the command line, from the job (<c>GET /api/jobs/{id}</c>).</summary>
    private static async Task<(int Attempt, string RunId)> CurrentRunAsync(
        GatewayClient client, string jobId, int? attempt, string? runId, CancellationToken cancellationToken)
    {
        var answer = await client.GetAsync(JobsCommand.JobPath(jobId), cancellationToken);
        if (answer.Status is System.Net.HttpStatusCode.Unauthorized)
        {
            throw new CliException(ExitCodes.Unauthorized, "unauthorized",
                $"job {jobId}: reading it needs an operator key (401); give --attempt and --run-id, or an operator key", 401, answer.Body);
        }

        var job = GatewayClient.EnsureSuccess(answer, $"job {jobId}").Json;
        runId ??= job.Text("runId") ?? throw CliException.Usage(
            $"job {jobId} has no run yet (it is {job.Status()} on attempt {job.Attempt()}): give --run-id");
        return (attempt ?? job.Attempt(), runId);
    }

    /// <summary>The callback secret's HMAC key, by the rule the gateway applies.</summary>
    private static byte[] SigningKey(string secret) =>
        WebhookSecret.TryDecode(secret, out var key, out var problem) ? key : throw CliException.Usage($"the callback secret {problem}");

    private static HttpRequestMessage Request(byte[] body, string webhookId, long timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        return request;
    }
}
