using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Provisioning.Gateway.Api;
using Provisioning.Gateway.Observability;
using Provisioning.StripeEvents;

namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>
/// Receives one Stripe delivery: reads the raw body (at most <see cref="MaxBodyBytes"/>), verifies its signature, reads
/// the event and appends it to the inbox (<see cref="IStripeInboxGrain"/>). A refused delivery writes nothing; 200 comes
/// once the event is durably stored (what it leads to follows from the stored row), and 503 with <c>Retry-After</c>
/// whenever that is not known to have happened, or while the unprocessed backlog is past its bound.
/// </summary>
public sealed class StripeWebhookHandler(
    StripeSignatureVerifier verifier, StripeWebhookAdmission admission, IGrainFactory grains, GatewayTelemetry telemetry, TimeProvider time, ILogger<StripeWebhookHandler> logger)
{
    /// <summary>The largest body accepted: 256 KiB (Stripe's events are a few KiB).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>How long the grain may take to record the event: well inside Stripe's own wait for an answer.</summary>
    public static readonly TimeSpan RecordDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The <c>Retry-After</c> of a 503. Stripe keeps its own retry schedule; other senders may honour it.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>The <c>Retry-After</c> of a refusal while the backlog is past its bound: a backlog drains within seconds.</summary>
    public static readonly TimeSpan BacklogRetryAfter = TimeSpan.FromSeconds(5);

    public async Task<Results<Ok<StripeWebhookReceipt>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var startedAt = time.GetTimestamp();
        if (!IsJson(request.ContentType))
        {
            return Reject(request, StripeWebhookRejection.UnsupportedMediaType, startedAt);
        }

        var (body, refused) = await WebhookBody.ReadOrRejectAsync(
            request, MaxBodyBytes, "a Stripe event", "nothing was recorded. Deliver the event again", cancellationToken);
        if (body is null)
        {
            return Reject(request, refused!, startedAt);
        }

        if (body.Length == 0)
        {
            return Reject(request, StripeWebhookRejection.EmptyBody, startedAt);
        }

        var signature = verifier.Verify(Encoding.UTF8.GetString(body), request.Headers["Stripe-Signature"].ToString());
        if (signature != StripeSignatureCheck.Valid)
        {
            return Reject(request, StripeWebhookRejection.For(signature), startedAt);
        }

        var (envelope, problem, malformedJson) = StripeEventReader.Read(body);
        if (envelope is null)
        {
            var rejection = malformedJson ? StripeWebhookRejection.MalformedJson(problem!) : StripeWebhookRejection.NotAnEvent(problem!);
            return Reject(request, rejection, startedAt);
        }

        // Only now, with a complete and authentic delivery, is a place taken (StripeWebhookAdmission).
        using var place = await admission.EnterAsync(cancellationToken);
        if (!place.IsAcquired)
        {
            telemetry.WebhookAnswered(envelope.Type, "overloaded", startedAt);
            StripeWebhookLog.Overloaded(logger);
            return ApiProblems.Unavailable(
                request.HttpContext.Response, StripeWebhookAdmission.RetryAfter, "Too many deliveries in progress",
                "The gateway is recording as many deliveries as it takes at once; nothing was recorded. Deliver the event again later.",
                "overloaded");
        }

        return await RecordAsync(envelope, body, request.HttpContext.Response, startedAt, cancellationToken);
    }

    private async Task<Results<Ok<StripeWebhookReceipt>, ProblemHttpResult>> RecordAsync(
        StripeEventEnvelope stripeEvent, byte[] body, HttpResponse response, long startedAt, CancellationToken cancellationToken)
    {
        using var span = GatewayTelemetry.StartWebhook(stripeEvent.EventId, stripeEvent.Type);
        StripeInboxAnswer answer;
        try
        {
            answer = await grains.GetGrain<IStripeInboxGrain>(StripeInboxKeys.ForDelivery())
                .AppendAsync(stripeEvent, body)
                .WaitAsync(RecordDeadline, time, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Storage down, a silo gone, no cluster connection, the deadline passed: whatever failed, the event is not known
            // to be durable, so it must not be acknowledged. Stripe delivers it again; storing it is idempotent.
            telemetry.WebhookAnswered(stripeEvent.Type, "unavailable", startedAt, span);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            StripeWebhookLog.RecordFailed(logger, stripeEvent.EventId, stripeEvent.Type, RecordDeadline.TotalSeconds, ex);
            return ApiProblems.Unavailable(
                response, RetryAfter, "Event not recorded",
                "The event could not be recorded durably right now, so it is not acknowledged; deliver it again later.",
                "unavailable", ("eventId", stripeEvent.EventId));
        }

        if (answer.RefusedBy is { } backlog)
        {
            telemetry.WebhookAnswered(stripeEvent.Type, "backlog", startedAt, span);
            StripeWebhookLog.BacklogFull(logger, stripeEvent.EventId, backlog.Events, backlog.Bound);
            return ApiProblems.Unavailable(
                response, BacklogRetryAfter, "Too many events waiting",
                $"{backlog.Events} received events are still being processed (the bound is {backlog.Bound}); nothing was recorded. Deliver the event again later.",
                "backlog", ("eventId", stripeEvent.EventId));
        }

        var receipt = answer.Receipt!;
        var record = receipt.Record;
        span?.SetTag(GatewayTelemetry.JobIdTag, record.JobId);
        telemetry.WebhookAnswered(record.Type, GatewayTelemetry.RecordedOutcome(record.Outcome, receipt.Duplicate), startedAt, span);
        StripeWebhookLog.Accepted(logger, record.EventId, record.Type, stripeEvent.ApiVersion, record.Outcome, receipt.Duplicate, record.JobId);
        return TypedResults.Ok(new StripeWebhookReceipt(
            true, record.EventId, record.Type, record.Outcome, receipt.Duplicate, record.JobId, record.SubscriptionId, record.DuplicateOf));
    }

    private ProblemHttpResult Reject(HttpRequest request, WebhookRejection rejection, long startedAt)
    {
        telemetry.WebhookAnswered(GatewayTelemetry.UnknownType, "rejected", startedAt);
        StripeWebhookLog.Rejected(logger, rejection.Status, rejection.Reason, request.HttpContext.Connection.RemoteIpAddress?.ToString());
        return rejection.ToProblem();
    }

    /// <summary><c>application/json</c>, with no charset or with <c>charset=utf-8</c>.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (StringSegment.IsNullOrEmpty(media.Charset)
            || HeaderUtilities.RemoveQuotes(media.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
