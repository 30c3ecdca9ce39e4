using System.Diagnostics;
using System.Diagnostics.Metrics;
using Provisioning.Grains.Dispatch;
using Provisioning.Jobs;

namespace Provisioning.Grains.Jobs;

/// <summary>
/// What the job grains report: dispatch requests by result, the time from payment to the first dispatch and to success,
/// and spans for dispatches and transitions, tagged with the job id (<see cref="JobIdTag"/>). Meter and activity source
/// are named <see cref="Name"/>, like the gateway's; docs/observability.md lists them.
/// </summary>
public sealed class JobTelemetry
{
    /// <summary>The product's meter and activity source.</summary>
    public const string Name = "Provisioning";

    /// <summary>The tag that carries the job id (the Stripe event id) on the product's spans.</summary>
    public const string JobIdTag = "provisioning.job_id";

    /// <summary>Spans of the job grains: <c>provisioning.job.dispatch</c>, <c>provisioning.job.transition</c>.</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _dispatchAttempts;
    private readonly Histogram<double> _paidToDispatched;
    private readonly Histogram<double> _paidToSucceeded;

    public JobTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _dispatchAttempts = meter.CreateCounter<long>(
            "provisioning.dispatch.attempts", "{request}", "Workflow dispatch requests sent to GitHub, by result.");
        _paidToDispatched = meter.CreateHistogram(
            "provisioning.job.paid_to_dispatched.duration", "s", "From the paid checkout to the job's first workflow dispatch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });
        _paidToSucceeded = meter.CreateHistogram(
            "provisioning.job.paid_to_succeeded.duration", "s", "From the paid checkout to the job's success.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 21600] });
    }

    /// <summary>
    /// Starts the span of one dispatch request. Its parent is <paramref name="origin"/>, the call that queued the job (the
    /// webhook, an operator's retry), when known: the dispatch runs later, off that call's path.
    /// </summary>
    public static Activity? StartDispatch(string jobId, int attempt, int request, ActivityContext origin)
    {
        var span = Source.StartActivity("provisioning.job.dispatch", ActivityKind.Internal, origin);
        span?.SetTag(JobIdTag, jobId);
        span?.SetTag("provisioning.attempt", attempt);
        span?.SetTag("provisioning.dispatch.request", request);
        return span;
    }

    /// <summary>The parent of a later activation's dispatch spans: the call a job's stored traceparent names, or none.</summary>
    public static ActivityContext Origin(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var origin) ? origin : default;

    /// <summary>Counts one dispatch request by its result and puts the result on its span.</summary>
    public void Dispatched(Activity? span, DispatchOutcome outcome)
    {
        var result = outcome switch
        {
            DispatchOutcome.Dispatched => "dispatched",
            DispatchOutcome.RateLimited => "rate-limited",
            DispatchOutcome.Permanent => "permanent",
            _ => "transient",
        };
        _dispatchAttempts.Add(1, new KeyValuePair<string, object?>("result", result));
        span?.SetTag("provisioning.dispatch.result", result);
        if (outcome is not DispatchOutcome.Dispatched)
        {
            span?.SetStatus(ActivityStatusCode.Error, result);
        }
    }

    /// <summary>Starts the span that covers saving the job's new transitions; null when there are none.</summary>
    public static Activity? StartTransition(string jobId, JobState job, int recorded)
    {
        if (job.History.Count <= recorded)
        {
            return null;
        }

        var last = job.History[^1];
        var span = Source.StartActivity("provisioning.job.transition");
        span?.SetTag(JobIdTag, jobId);
        span?.SetTag("provisioning.job.from", last.From is { } from ? JobNames.Of(from) : null);
        span?.SetTag("provisioning.job.to", JobNames.Of(last.To));
        span?.SetTag("provisioning.job.actor", JobNames.Of(last.Actor));
        span?.SetTag("provisioning.attempt", job.Attempt);
        return span;
    }

    /// <summary>Records the durations that end at the transitions saved since <paramref name="recorded"/> history entries.</summary>
    public void Transitioned(JobState job, int recorded)
    {
        for (var i = recorded; i < job.History.Count; i++)
        {
            var entry = job.History[i];
            var sincePaid = (entry.At - job.PaidAt).TotalSeconds;
            if (entry.To == JobStatus.Dispatched && !HasEarlierDispatch(job, i))
            {
                _paidToDispatched.Record(sincePaid);
            }
            else if (entry.To == JobStatus.Succeeded)
            {
                _paidToSucceeded.Record(sincePaid);
            }
        }
    }

    private static bool HasEarlierDispatch(JobState job, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (job.History[i].To == JobStatus.Dispatched)
            {
                return true;
            }
        }

        return false;
    }
}
