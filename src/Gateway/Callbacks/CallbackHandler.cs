using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.Gateway.Api;
using Provisioning.Gateway.Observability;
using Provisioning.Jobs;
using Provisioning.StandardWebhooks;

namespace Provisioning.Gateway.Callbacks;

/// <summary>
/// Receives one workflow callback: reads the raw body (at most <see cref="MaxBodyBytes"/>), verifies its Standard Webhooks
/// signature, reads the callback and hands it to the job's grain, which decides. A refused callback changes nothing and
/// calls no grain. 409 tells the run to stop; 503 (with <c>Retry-After</c>) tells it to send the same callback again.
/// </summary>
public sealed class CallbackHandler(
    WebhookVerifier verifier, IGrainFactory grains, GatewayTelemetry telemetry, TimeProvider time, ILogger<CallbackHandler> logger)
    : WebhookPipeline<(string JobId, WorkflowCallback Callback), CallbackReceipt>(
        time, new(MaxBodyBytes, CallDeadline, "a callback", "nothing changed. Send the callback again"))
{
    /// <summary>The largest body accepted: 64 KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>How long the job may take to apply a callback.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The <c>Retry-After</c> of a 503.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    protected override WebhookRejection? Verify(WebhookRequest request, byte[] body)
    {
        var headers = request.Headers;
        var check = verifier.Verify(
            headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), body);
        if (check == WebhookSignatureCheck.Valid)
        {
            return null;
        }

        request.Response.Headers.WWWAuthenticate = "Webhook-Signature realm=\"workflow-callbacks\"";
        var (reason, title, detail) = Describe(check);
        return new WebhookRejection(StatusCodes.Status401Unauthorized, reason, title, detail);
    }

    protected override WebhookParse<(string JobId, WorkflowCallback Callback), CallbackReceipt> Parse(WebhookRequest request, byte[] body) =>
        CallbackBody.TryRead(body, request.Headers["webhook-id"].ToString(), out var jobId, out var callback, out var errors)
            ? Proceed((jobId, callback!))
            : Refuse(new WebhookRejection(StatusCodes.Status400BadRequest, "invalid-callback", "Invalid callback",
                string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}.")), errors));

    protected override Activity? StartSpan((string JobId, WorkflowCallback Callback) message) =>
        GatewayTelemetry.StartCallback(message.JobId, message.Callback.Event, message.Callback.Attempt);

    protected override async Task<Results<Ok<CallbackReceipt>, ProblemHttpResult>> CallAsync(
        WebhookRequest request, (string JobId, WorkflowCallback Callback) message, Activity? span, CancellationToken deadline)
    {
        var (jobId, callback) = message;
        var eventName = GatewayTelemetry.EventName(callback.Event);
        var result = await grains.GetGrain<IProvisioningJobGrain>(jobId).HandleCallbackAsync(callback);
        switch (result)
        {
            case { Outcome: JobActionOutcome.NotFound } or { Job: null }:
                telemetry.CallbackAnswered(eventName, "not-found", span);
                CallbackLog.UnknownJob(logger, jobId, callback.Event);
                return ApiProblems.NotFound("Job", jobId);

            case { Outcome: JobActionOutcome.Conflict }:
                telemetry.CallbackAnswered(eventName, "conflict", span);
                CallbackLog.Conflict(logger, jobId, callback.Event, callback.Attempt, callback.RunId, result.Reason);
                return ApiProblems.JobConflict(result.Job, result.Reason);

            default:
                var job = result.Job;
                telemetry.CallbackAnswered(eventName, result.Outcome == JobActionOutcome.Duplicate ? "duplicate" : "applied", span);
                CallbackLog.Applied(logger, jobId, callback.Event, callback.Attempt, callback.RunId, result.Outcome, job.Status, job.Attempt);
                return TypedResults.Ok(new CallbackReceipt(true, job.JobId, job.Status, job.Attempt, result.Outcome == JobActionOutcome.Duplicate));
        }
    }

    protected override ProblemHttpResult Unavailable(
        WebhookRequest request, (string JobId, WorkflowCallback Callback) message, Activity? span, Exception exception)
    {
        // Sending the same callback again with the same webhook-id is safe: the job applies a callback id once.
        var (jobId, callback) = message;
        telemetry.CallbackAnswered(GatewayTelemetry.EventName(callback.Event), "unavailable", span);
        CallbackLog.Failed(logger, jobId, callback.Event, CallDeadline.TotalSeconds, exception);
        return ApiProblems.Unavailable(
            request.Response, RetryAfter, "Callback not applied",
            "The job could not be reached or did not answer in time; send the same callback again later.",
            "unavailable", ("jobId", jobId));
    }

    protected override void OnRejected(WebhookRequest request, WebhookRejection rejection, string? kind)
    {
        telemetry.CallbackAnswered(GatewayTelemetry.UnknownType, "rejected");
        CallbackLog.Rejected(logger, rejection.Status, rejection.Reason, request.RemoteAddress);
    }

    private static (string Reason, string Title, string Detail) Describe(WebhookSignatureCheck check) => check switch
    {
        WebhookSignatureCheck.Missing => ("signature-missing", "Missing signature",
            "A callback carries the Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature."),
        WebhookSignatureCheck.Malformed => ("signature-malformed", "Malformed signature",
            "webhook-timestamp must be unix seconds, webhook-id at most " +
            $"{WebhookVerifier.MaxIdLength} characters, and webhook-signature hold v1,<base64> entries separated by spaces."),
        WebhookSignatureCheck.Expired => ("signature-expired", "Signature expired",
            $"The signature matches, but webhook-timestamp is more than {WebhookVerifier.ToleranceSeconds} s away from now " +
            "(a replayed callback, or a clock out of sync)."),
        _ => ("signature-mismatch", "Signature mismatch",
            "No v1 signature matches the body with any configured callback secret: the body was changed, or it was signed with another secret."),
    };
}
