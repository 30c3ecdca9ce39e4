using System.Diagnostics;
using System.Diagnostics.Metrics;
using Provisioning.Jobs;
using Provisioning.ServiceDefaults.Telemetry;

namespace Provisioning.Gateway.Observability;

/// <summary>
/// What the gateway reports under the product's meter and activity source (<see cref="ProvisioningTelemetry.Name"/>):
/// Stripe webhooks by event type and outcome with their latency, workflow callbacks by event and outcome, GitHub webhook
/// deliveries by event and outcome, and spans for the first two, tagged with the job id. docs/observability.md lists every instrument, label and tag.
/// </summary>
public sealed class GatewayTelemetry
{
    /// <summary>The tag that carries the job id on the product's spans (the grains use the same).</summary>
    public const string JobIdTag = "provisioning.job_id";

    /// <summary>The event type of a delivery refused before its event could be read and trusted.</summary>
    public const string UnknownType = "unknown";

    public static readonly ActivitySource Source = new(ProvisioningTelemetry.Name);

    private readonly Counter<long> _webhooks;
    private readonly Histogram<double> _webhookDuration;
    private readonly Counter<long> _callbacks;
    private readonly Counter<long> _gitHubEvents;
    private readonly TimeProvider _time;

    public GatewayTelemetry(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(ProvisioningTelemetry.Name);
        _webhooks = meter.CreateCounter<long>(
            "provisioning.webhooks", "{webhook}", "Stripe webhook deliveries, by event type and outcome.");
        _webhookDuration = meter.CreateHistogram(
            "provisioning.webhook.duration", "s", "Time to answer a Stripe webhook delivery, by event type and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15] });
        _callbacks = meter.CreateCounter<long>(
            "provisioning.callbacks", "{callback}", "Workflow callbacks, by event and outcome.");
        _gitHubEvents = meter.CreateCounter<long>(
            "provisioning.github_events", "{delivery}", "GitHub webhook deliveries, by event and outcome.");
    }

    /// <summary>Starts the span of recording one verified Stripe event through its grain.</summary>
    public static Activity? StartWebhook(string eventId, string type)
    {
        var span = Source.StartActivity("provisioning.webhook");
        span?.SetTag("stripe.event_id", eventId);
        span?.SetTag("stripe.event_type", type);
        return span;
    }

    /// <summary>Starts the span of applying one verified callback through its job's grain.</summary>
    public static Activity? StartCallback(string jobId, CallbackEvent callbackEvent, int attempt)
    {
        var span = Source.StartActivity("provisioning.callback");
        span?.SetTag(JobIdTag, jobId);
        span?.SetTag("provisioning.callback.event", EventName(callbackEvent));
        span?.SetTag("provisioning.attempt", attempt);
        return span;
    }

    /// <summary>
    /// Counts one Stripe delivery and its latency from <paramref name="startedAt"/> (a <see cref="TimeProvider"/> timestamp).
    /// <paramref name="outcome"/>: <c>job-created</c>, <c>subscription-updated</c>, <c>ignored</c>, <c>duplicate</c>,
    /// <c>session-duplicate</c> (a second Event object for a checkout session), <c>rejected</c>, <c>unavailable</c>,
    /// <c>backlog</c> (refused while the inbox backlog is past its bound) or <c>overloaded</c> (refused before it was read:
    /// type <see cref="UnknownType"/>).
    /// </summary>
    public void WebhookAnswered(string type, string outcome, long startedAt, Activity? span = null)
    {
        var tags = new TagList { { "type", type }, { "outcome", outcome } };
        _webhooks.Add(1, tags);
        _webhookDuration.Record(_time.GetElapsedTime(startedAt).TotalSeconds, tags);
        span?.SetTag("provisioning.outcome", outcome);
    }

    /// <summary>The outcome label of a recorded event: its record's outcome without the reason (<c>ignored: ...</c> is <c>ignored</c>).</summary>
    public static string RecordedOutcome(string recordOutcome, bool duplicate)
    {
        if (duplicate)
        {
            return "duplicate";
        }

        if (recordOutcome.StartsWith("duplicate of ", StringComparison.Ordinal))
        {
            return "session-duplicate";
        }

        var colon = recordOutcome.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? recordOutcome : recordOutcome[..colon];
    }

    /// <summary>
    /// Counts one callback. <paramref name="outcome"/>: <c>applied</c>, <c>duplicate</c>, <c>conflict</c>, <c>not-found</c>,
    /// <c>rejected</c> (signature or body refused; the event is then <see cref="UnknownType"/>) or <c>unavailable</c>.
    /// </summary>
    public void CallbackAnswered(string callbackEvent, string outcome, Activity? span = null)
    {
        _callbacks.Add(1, new TagList { { "event", callbackEvent }, { "outcome", outcome } });
        span?.SetTag("provisioning.outcome", outcome);
    }

    /// <summary>
    /// Counts one GitHub webhook delivery. <paramref name="gitHubEvent"/>: <c>workflow_run</c>, <c>ping</c> or <c>other</c> from
    /// its <c>X-GitHub-Event</c> (a header outside the signature, so its value is never a label as is); <see cref="UnknownType"/>
    /// when refused before the event was read. <paramref name="outcome"/>: <c>applied</c>, <c>duplicate</c>,
    /// <c>ignored</c>, <c>rejected</c> or <c>unavailable</c>.
    /// </summary>
    public void GitHubEventAnswered(string gitHubEvent, string outcome) =>
        _gitHubEvents.Add(1, new TagList { { "event", gitHubEvent }, { "outcome", outcome } });

    public static string EventName(CallbackEvent callbackEvent) => callbackEvent switch
    {
        CallbackEvent.Claim => "claim",
        CallbackEvent.Heartbeat => "heartbeat",
        CallbackEvent.Complete => "complete",
        CallbackEvent.Fail => "fail",
        _ => UnknownType,
    };
}
