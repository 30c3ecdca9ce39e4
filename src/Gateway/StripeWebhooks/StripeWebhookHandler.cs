using System.Diagnostics;
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
    : WebhookPipeline<StripeEventEnvelope, StripeWebhookReceipt>(
        time, new(MaxBodyBytes, RecordDeadline, "a Stripe event", "nothing was recorded. Deliver the event again"))
{
    /// <summary>The largest body accepted: 256 KiB (Stripe's events are a few KiB).</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>How long the grain may take to record the event: well inside Stripe's own wait for an answer.</summary>
    public static readonly TimeSpan RecordDeadline = TimeSpan.FromSeconds(15);

    /// <summary>The <c>Retry-After</c> of a 503. Stripe keeps its own retry schedule; other senders may honour it.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>The <c>Retry-After</c> of a refusal while the backlog is past its bound: a backlog drains within seconds.</summary>
    public static readonly TimeSpan BacklogRetryAfter = TimeSpan.FromSeconds(5);

    protected override ProblemHttpResult? Admit(WebhookRequest request) =>
        IsJson(request.Http.ContentType) ? null : Reject(request, StripeWebhookRejection.UnsupportedMediaType);

    protected override WebhookRejection? Verify(WebhookRequest request, byte[] body)
    {
        if (body.Length == 0)
        {
            return StripeWebhookRejection.EmptyBody;
        }

        var signature = verifier.Verify(Encoding.UTF8.GetString(body), request.Headers["Stripe-Signature"].ToString());
        return signature == StripeSignatureCheck.Valid ? null : StripeWebhookRejection.For(signature);
    }

    protected override WebhookParse<StripeEventEnvelope, StripeWebhookReceipt> Parse(WebhookRequest request, byte[] body)
    {
        var (envelope, problem, malformedJson) = StripeEventReader.Read(body);
        return envelope is not null ? Proceed(envelope)
            : Refuse(malformedJson ? StripeWebhookRejection.MalformedJson(problem!) : StripeWebhookRejection.NotAnEvent(problem!));
    }

    /// <summary>Only now, with a complete and authentic delivery, is a place taken (<see cref="StripeWebhookAdmission"/>).</summary>
    protected override async ValueTask<(IDisposable? Place, ProblemHttpResult? Busy)> TakePlaceAsync(
        WebhookRequest request, StripeEventEnvelope stripeEvent, CancellationToken cancellationToken)
    {
        var place = await admission.EnterAsync(cancellationToken);
        if (place.IsAcquired)
        {
            return (place, null);
        }

        place.Dispose();
        telemetry.WebhookAnswered(stripeEvent.Type, "overloaded", request.StartedAt);
        StripeWebhookLog.Overloaded(logger);
        return (null, ApiProblems.Unavailable(
            request.Response, StripeWebhookAdmission.RetryAfter, "Too many deliveries in progress",
            "The gateway is recording as many deliveries as it takes at once; nothing was recorded. Deliver the event again later.",
            "overloaded"));
    }

    protected override Activity? StartSpan(StripeEventEnvelope stripeEvent) => GatewayTelemetry.StartWebhook(stripeEvent.EventId, stripeEvent.Type);

    protected override async Task<Results<Ok<StripeWebhookReceipt>, ProblemHttpResult>> CallAsync(
        WebhookRequest request, StripeEventEnvelope stripeEvent, Activity? span, CancellationToken deadline)
    {
        var answer = await grains.GetGrain<IStripeInboxGrain>(StripeInboxKeys.ForDelivery()).AppendAsync(stripeEvent, request.Body);
        if (answer.RefusedBy is { } backlog)
        {
            telemetry.WebhookAnswered(stripeEvent.Type, "backlog", request.StartedAt, span);
            StripeWebhookLog.BacklogFull(logger, stripeEvent.EventId, backlog.Events, backlog.Bound);
            return ApiProblems.Unavailable(
                request.Response, BacklogRetryAfter, "Too many events waiting",
                $"{backlog.Events} received events are still being processed (the bound is {backlog.Bound}); nothing was recorded. Deliver the event again later.",
                "backlog", ("eventId", stripeEvent.EventId));
        }

        var receipt = answer.Receipt!;
        var record = receipt.Record;
        span?.SetTag(GatewayTelemetry.JobIdTag, record.JobId);
        telemetry.WebhookAnswered(record.Type, GatewayTelemetry.RecordedOutcome(record.Outcome, receipt.Duplicate), request.StartedAt, span);
        StripeWebhookLog.Accepted(logger, record.EventId, record.Type, stripeEvent.ApiVersion, record.Outcome, receipt.Duplicate, record.JobId);
        return TypedResults.Ok(new StripeWebhookReceipt(
            true, record.EventId, record.Type, record.Outcome, receipt.Duplicate, record.JobId, record.SubscriptionId, record.DuplicateOf));
    }

    protected override ProblemHttpResult Unavailable(WebhookRequest request, StripeEventEnvelope stripeEvent, Activity? span, Exception exception)
    {
        // Whatever failed, the event is not known to be durable, so it must not be acknowledged; storing it is idempotent.
        telemetry.WebhookAnswered(stripeEvent.Type, "unavailable", request.StartedAt, span);
        StripeWebhookLog.RecordFailed(logger, stripeEvent.EventId, stripeEvent.Type, RecordDeadline.TotalSeconds, exception);
        return ApiProblems.Unavailable(
            request.Response, RetryAfter, "Event not recorded",
            "The event could not be recorded durably right now, so it is not acknowledged; deliver it again later.",
            "unavailable", ("eventId", stripeEvent.EventId));
    }

    protected override void OnRejected(WebhookRequest request, WebhookRejection rejection, string? kind)
    {
        telemetry.WebhookAnswered(GatewayTelemetry.UnknownType, "rejected", request.StartedAt);
        StripeWebhookLog.Rejected(logger, rejection.Status, rejection.Reason, request.RemoteAddress);
    }

    /// <summary><c>application/json</c>, with no charset or with <c>charset=utf-8</c>.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (StringSegment.IsNullOrEmpty(media.Charset)
            || HeaderUtilities.RemoveQuotes(media.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
