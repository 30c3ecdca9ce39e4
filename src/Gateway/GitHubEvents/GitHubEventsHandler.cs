using System.Diagnostics;
using Provisioning.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using Octokit.Webhooks.Events.WorkflowRun;
using Provisioning.Gateway.Api;
using Provisioning.Gateway.Observability;
using Provisioning.Jobs;

namespace Provisioning.Gateway.GitHubEvents;

/// <summary>
/// Receives one GitHub webhook delivery: checks <c>X-Hub-Signature-256</c> over the raw body with Octokit.Webhooks'
/// validator (GitHub's deliveries carry no timestamp; a replay is caught by the delivery id), then hands a completed
/// <c>workflow_run</c> to the job it belongs to, which ends the attempt at once if its current run failed without reporting.
/// Everything else is acknowledged and ignored. A refused delivery changes nothing and calls no grain.
/// </summary>
public sealed class GitHubEventsHandler(
    IOptions<GitHubEventsOptions> options,
    RunJobLookup lookup,
    IGrainFactory grains,
    GatewayTelemetry telemetry,
    TimeProvider time,
    ILogger<GitHubEventsHandler> logger)
    : WebhookPipeline<(string DeliveryId, WorkflowRunEvent Run), GitHubEventReceipt>(time, new(MaxBodyBytes, CallDeadline))
{
    /// <summary>The largest body accepted: 1 MiB (a <c>workflow_run</c> event is about 25 KiB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>How long finding and telling the job may take.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The <c>Retry-After</c> of a 503.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    protected override ProblemHttpResult? Admit(WebhookRequest request)
    {
        if (options.Value.IsConfigured)
        {
            return null;
        }

        GitHubEventsLog.NotConfigured(logger, DeliveryId(request));
        telemetry.GitHubEventAnswered(GatewayTelemetry.UnknownType, "unavailable");
        return new WebhookRejection(StatusCodes.Status503ServiceUnavailable, "not-configured", "Not configured",
            $"This gateway does not take GitHub webhooks: {GitHubEventsOptions.SecretKey} is not configured.").ToProblem();
    }

    protected override WebhookRejection? Verify(WebhookRequest request, byte[] body)
    {
        var signature = WebhookSignatureValidator.Verify(
            WebhookHeaders.Parse(request.Headers).Signature256, options.Value.WebhookSecret?.Trim(), body);
        if (signature == WebhookSignatureValidationResult.Valid)
        {
            return null;
        }

        var missing = signature == WebhookSignatureValidationResult.MissingSignature;
        return new WebhookRejection(StatusCodes.Status401Unauthorized,
            missing ? "signature-missing" : "signature-mismatch",
            missing ? "Missing signature" : "Signature mismatch",
            missing
                ? "The X-Hub-Signature-256 header is missing: set a secret on the webhook."
                : "X-Hub-Signature-256 does not match the body with the configured webhook secret.");
    }

    protected override WebhookParse<(string DeliveryId, WorkflowRunEvent Run), GitHubEventReceipt> Parse(WebhookRequest request, byte[] body)
    {
        var deliveryId = DeliveryId(request);
        var gitHubEvent = LogText.Escape(WebhookHeaders.Parse(request.Headers).Event ?? "");
        if (string.IsNullOrEmpty(gitHubEvent) || string.IsNullOrEmpty(deliveryId))
        {
            return Refuse(new WebhookRejection(StatusCodes.Status400BadRequest,
                "headers-missing", "Missing headers", "A GitHub delivery carries the X-GitHub-Event and X-GitHub-Delivery headers."));
        }

        if (gitHubEvent != WebhookEventType.WorkflowRun)
        {
            return Answer(Ignore(deliveryId, gitHubEvent,
                gitHubEvent == WebhookEventType.Ping ? "ping: the webhook reaches this gateway" : $"event {gitHubEvent} is not handled"));
        }

        var (run, error) = WorkflowRunEvent.Read(body);
        if (run is null)
        {
            return Answer(Reject(request,
                new WebhookRejection(StatusCodes.Status400BadRequest, "invalid-event", "Invalid event", $"Not a workflow_run event: {error}."),
                gitHubEvent));
        }

        return run.Action == WorkflowRunActionValue.Completed
            ? Proceed((deliveryId, run))
            : Answer(Ignore(deliveryId, gitHubEvent, $"action {run.Action} needs no action"));
    }

    protected override async Task<Results<Ok<GitHubEventReceipt>, ProblemHttpResult>> CallAsync(
        WebhookRequest request, (string DeliveryId, WorkflowRunEvent Run) message, Activity? span, CancellationToken deadline)
    {
        const string Event = WebhookEventType.WorkflowRun;
        var (deliveryId, run) = message;
        if (await lookup.FindAsync(run, deadline) is not { } found)
        {
            return Ignore(deliveryId, Event, $"run {run.RunId} belongs to no job");
        }

        var (jobId, foundBy) = found;
        var result = await grains.GetGrain<IProvisioningJobGrain>(jobId).HandleRunCompletedAsync(run.RunId, run.Conclusion ?? "", deliveryId);
        if (result is { Outcome: JobActionOutcome.Done or JobActionOutcome.Duplicate, Job: { } job })
        {
            GitHubEventsLog.Applied(logger, deliveryId, run.RunId, run.Conclusion, jobId, foundBy, result.Outcome, job.Status, job.Attempt);
            telemetry.GitHubEventAnswered(Event, result.Outcome == JobActionOutcome.Duplicate ? "duplicate" : "applied");
            return TypedResults.Ok(new GitHubEventReceipt(
                true, Event, jobId, job.Status, job.Attempt, result.Outcome == JobActionOutcome.Duplicate, null));
        }

        return Ignore(deliveryId, Event, result.Outcome == JobActionOutcome.NotFound ? $"no job has the id {jobId}" : result.Reason ?? "nothing to do", jobId);
    }

    protected override ProblemHttpResult Unavailable(
        WebhookRequest request, (string DeliveryId, WorkflowRunEvent Run) message, Activity? span, Exception exception)
    {
        GitHubEventsLog.Failed(logger, message.DeliveryId, message.Run.RunId, exception);
        telemetry.GitHubEventAnswered(WebhookEventType.WorkflowRun, "unavailable");
        return ApiProblems.Unavailable(request.Response, RetryAfter, "Event not applied",
            "The job could not be found or told right now; deliver the event again later.", "unavailable");
    }

    protected override void OnRejected(WebhookRequest request, WebhookRejection rejection, string? kind)
    {
        GitHubEventsLog.Rejected(logger, DeliveryId(request), rejection.Status, rejection.Reason, request.RemoteAddress);
        telemetry.GitHubEventAnswered(kind ?? GatewayTelemetry.UnknownType, "rejected");
    }

    private static string DeliveryId(WebhookRequest request) => LogText.Escape(WebhookHeaders.Parse(request.Headers).Delivery ?? "");

    private Ok<GitHubEventReceipt> Ignore(string deliveryId, string gitHubEvent, string why, string? jobId = null)
    {
        GitHubEventsLog.Ignored(logger, deliveryId, gitHubEvent, why);
        telemetry.GitHubEventAnswered(gitHubEvent is WebhookEventType.WorkflowRun or WebhookEventType.Ping ? gitHubEvent : "other", "ignored");
        return TypedResults.Ok(GitHubEventReceipt.Ignoring(gitHubEvent, why, jobId));
    }
}
