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
{
    /// <summary>The largest body accepted: 64 KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>How long the job may take to apply a callback.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The <c>Retry-After</c> of a 503.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async Task<Results<Ok<CallbackReceipt>, ProblemHttpResult>> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, refused) = await WebhookBody.ReadOrRejectAsync(
            request, MaxBodyBytes, "a callback", "nothing changed. Send the callback again", cancellationToken);
        if (body is null)
        {
            return Reject(request, refused!);
        }

        var headers = request.Headers;
        var id = headers["webhook-id"].ToString();
        var check = verifier.Verify(id, headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), body);
        if (check != WebhookSignatureCheck.Valid)
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Webhook-Signature realm=\"workflow-callbacks\"";
            var (reason, title, detail) = Describe(check);
            return Reject(request, new WebhookRejection(StatusCodes.Status401Unauthorized, reason, title, detail));
        }

        if (!CallbackBody.TryRead(body, id, out var jobId, out var callback, out var errors))
        {
            return Reject(request, new WebhookRejection(StatusCodes.Status400BadRequest, "invalid-callback", "Invalid callback",
                string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}.")), errors));
        }

        return await ApplyAsync(jobId, callback!, request.HttpContext.Response, cancellationToken);
    }

    private async Task<Results<Ok<CallbackReceipt>, ProblemHttpResult>> ApplyAsync(
        string jobId, WorkflowCallback callback, HttpResponse response, CancellationToken cancellationToken)
    {
        using var span = GatewayTelemetry.StartCallback(jobId, callback.Event, callback.Attempt);
        var eventName = GatewayTelemetry.EventName(callback.Event);
        JobActionResult result;
        try
        {
            result = await grains.GetGrain<IProvisioningJobGrain>(jobId)
                .HandleCallbackAsync(callback)
                .WaitAsync(CallDeadline, time, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Storage down, a silo gone, the deadline passed: the callback is not known to be applied. Sending it again
            // with the same webhook-id is safe: the job applies a callback id once.
            telemetry.CallbackAnswered(eventName, "unavailable", span);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            CallbackLog.Failed(logger, jobId, callback.Event, CallDeadline.TotalSeconds, ex);
            return ApiProblems.Unavailable(
                response, RetryAfter, "Callback not applied",
                "The job could not be reached or did not answer in time; send the same callback again later.",
                "unavailable", ("jobId", jobId));
        }

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

    private ProblemHttpResult Reject(HttpRequest request, WebhookRejection rejection)
    {
        telemetry.CallbackAnswered(GatewayTelemetry.UnknownType, "rejected");
        CallbackLog.Rejected(logger, rejection.Status, rejection.Reason, request.HttpContext.Connection.RemoteIpAddress?.ToString());
        return rejection.ToProblem();
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
