using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;
using Provisioning.Tests.Webhooks;

namespace Provisioning.Tests.Observability;

/// <summary>
/// One trace from Stripe's webhook request through the gateway, the grains on the silos and the timer-driven dispatch, to
/// the HTTP request GitHub (the simulator) receives: proven by the <c>traceparent</c> the simulator logged, and by the
/// spans and logs every host exported by OTLP.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracePropagationTests(TelemetrySystem telemetry)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private const string JobIdTag = "provisioning.job_id";

    private TestSystem System => telemetry.System;

    [Fact]
    public async Task Webhook_WithTraceparent_DispatchRequestToGitHubCarriesTheSameTraceId()
    {
        var (traceId, jobId) = await DeliverInTraceAsync();

        var traceParent = await DispatchTraceParentAsync(jobId);

        var parts = traceParent.Split('-');
        Assert.Equal(4, parts.Length);
        Assert.Equal("00", parts[0]);
        Assert.Equal(traceId, parts[1]);
        Assert.Equal("01", parts[3]);
    }

    [Fact]
    public async Task Webhook_WithTraceparent_DispatchByALaterActivationCarriesTheSameTraceId()
    {
        // GitHub answers the first request with 429 and a wait; meanwhile the job's activation is collected, so the next
        // request is made by a new activation, woken by the job's reminder.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-traced-later");
        await System.Simulator.AddFaultAsync(new SimulatorFault("rate-limit", JobId: checkout.Id, Status: 429, Seconds: 6));
        var request = checkout.ToRequest();
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        Assert.Equal(HttpStatusCode.OK, (await System.Http.SendWebhookAsync(request)).Status);
        await Eventually.UntilAsync(async () => (await System.Simulator.GetRequestsAsync(checkout.Id)).Count == 1, Deadline, "the first, rate-limited request");

        var client = await System.ClientAsync();
        await client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var requests = await Eventually.UntilAsync(
            () => System.Simulator.GetRequestsAsync(checkout.Id), found => found.Count == 2, Deadline, "the second request");
        Assert.Equal(429, requests[0].Status);
        Assert.Equal(traceId, requests[1].TraceParent?.Split('-')[1]);
    }

    [Fact]
    public async Task Webhook_WithTraceparent_SpansOfGatewayAndSiloShareTheTraceAndNameTheJob()
    {
        var (traceId, jobId) = await DeliverInTraceAsync();
        var dispatchParent = (await DispatchTraceParentAsync(jobId)).Split('-')[2];

        var spans = await Eventually.UntilAsync(
            () => Task.FromResult(telemetry.Otlp.Spans.Where(s => s.TraceId == traceId).ToArray()),
            found => found.Any(s => s.SpanId == dispatchParent) && found.Any(s => s.Name == "provisioning.job.dispatch"),
            Deadline, $"the spans of trace {traceId} from gateway and silo");

        var webhook = Assert.Single(spans, s => s.Name == "provisioning.webhook");
        Assert.Equal("provisioning-gateway", webhook.Service);
        Assert.Equal(jobId, webhook.Attributes[JobIdTag]);
        Assert.Equal("checkout.session.completed", webhook.Attributes["stripe.event_type"]);

        var dispatch = Assert.Single(spans, s => s.Name == "provisioning.job.dispatch");
        Assert.Equal("provisioning-silo", dispatch.Service);
        Assert.Equal(jobId, dispatch.Attributes[JobIdTag]);
        Assert.Equal("dispatched", dispatch.Attributes["provisioning.dispatch.result"]);

        // The span whose id GitHub received as the parent is the silo's HTTP client span of that dispatch.
        var request = Assert.Single(spans, s => s.SpanId == dispatchParent);
        Assert.Equal("provisioning-silo", request.Service);
        Assert.Equal(dispatch.SpanId, request.ParentSpanId);
        Assert.Contains("/dispatches", request.Attributes["url.full"], StringComparison.Ordinal);

        // Between them: the grain calls Orleans traced, and the job's transition to queued, named by the job id.
        Assert.Contains(spans, s => s.Service == "provisioning-silo" && s.Name.Contains("IStripeInboxGrain", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Name == "provisioning.job.transition"
            && s.Attributes.GetValueOrDefault(JobIdTag) == jobId
            && s.Attributes.GetValueOrDefault("provisioning.job.to") == "queued");
    }

    [Fact]
    public async Task Spans_OfBackgroundDatabaseCalls_AreNotRecorded()
    {
        // The silos poll the membership and reminder tables every few seconds: none of those calls may start a trace.
        var (traceId, jobId) = await DeliverInTraceAsync();
        await DispatchTraceParentAsync(jobId);
        await Eventually.UntilAsync(() => Task.FromResult(telemetry.Otlp.Spans.Any(s => s.TraceId == traceId && s.Name == "provisioning.job.dispatch")),
            Deadline, "the dispatch span to be exported");

        var spans = telemetry.Otlp.Spans.ToArray();

        Assert.Contains(spans, s => s.Kind == OtlpSpan.ClientKind && s.ParentSpanId is not null
            && (s.Attributes.ContainsKey("db.system.name") || s.Attributes.ContainsKey("db.system")));
        Assert.DoesNotContain(spans, s => s.Kind == OtlpSpan.ClientKind && s.ParentSpanId is null);
    }

    [Fact]
    public async Task Logs_OfOneCheckout_CarryTheJobIdAsAPropertyAndTheTraceId()
    {
        var (traceId, jobId) = await DeliverInTraceAsync();
        await DispatchTraceParentAsync(jobId);

        var logs = await Eventually.UntilAsync(
            () => Task.FromResult(telemetry.Otlp.Logs.Where(l => l.Attributes.GetValueOrDefault("JobId") == jobId).ToArray()),
            found => found.Any(l => l.Service == "provisioning-gateway") && found.Any(l => l.Attributes.ContainsKey("RunId")),
            Deadline, $"log records naming job {jobId} from gateway and silo");

        var accepted = Assert.Single(logs, l => l.Service == "provisioning-gateway" && l.Attributes.ContainsKey("EventId") && l.Attributes.ContainsKey("Outcome"));
        Assert.Equal(traceId, accepted.TraceId);
        var dispatched = Assert.Single(logs, l => l.Service == "provisioning-silo" && l.Attributes.ContainsKey("RunId"));
        Assert.Equal(traceId, dispatched.TraceId);
        Assert.Contains(jobId, dispatched.Body ?? "", StringComparison.Ordinal);
    }

    /// <summary>Delivers a paid checkout in a trace the test starts (its own <c>traceparent</c>); returns the trace and job ids.</summary>
    private async Task<(string TraceId, string JobId)> DeliverInTraceAsync()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), "agent-traced");
        var request = checkout.ToRequest();
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var answer = await System.Http.SendWebhookAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return (traceId, answer.JobId!);
    }

    /// <summary>The <c>traceparent</c> of the job's first dispatch request, from the simulator's request log.</summary>
    private async Task<string> DispatchTraceParentAsync(string jobId)
    {
        var http = System.Simulator.Control;
        var traceParent = await Eventually.UntilAsync(
            async () =>
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync($"/_simulator/requests?jobId={Uri.EscapeDataString(jobId)}"));
                return document.RootElement.GetArrayLength() == 0
                    ? null
                    : document.RootElement[0].GetProperty("traceParent").GetString();
            },
            found => found is not null, Deadline, $"the dispatch request of job {jobId} with a traceparent");
        return traceParent!;
    }
}
