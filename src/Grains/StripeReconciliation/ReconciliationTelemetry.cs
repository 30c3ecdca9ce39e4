using System.Diagnostics.Metrics;
using Provisioning.Grains.Jobs;

namespace Provisioning.Grains.StripeReconciliation;

/// <summary>
/// What reconciliation reports on the silo that runs it: passes by result, listed events by what the inbox made of them,
/// and whether the webhook endpoint was last read as disabled. docs/observability.md lists them.
/// </summary>
public sealed class ReconciliationTelemetry
{
    private readonly Counter<long> _passes;
    private readonly Counter<long> _events;
    private volatile string? _endpointStatus;

    public ReconciliationTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(JobTelemetry.Name);
        _passes = meter.CreateCounter<long>(
            "provisioning.stripe.reconciliation.passes", "{pass}", "Reconciliation passes with Stripe's Events API, by result.");
        _events = meter.CreateCounter<long>(
            "provisioning.stripe.reconciliation.events", "{event}",
            "Events Stripe listed as not delivered, by outcome: already_present (the inbox held them) or recovered (appended by the pass).");
        meter.CreateObservableGauge(
            "provisioning.stripe.webhook_endpoint.disabled",
            () => _endpointStatus is { } status ? [new Measurement<int>(status == "disabled" ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            "{endpoint}", "1 when Stripe reports the webhook endpoint (Stripe:WebhookEndpointId) disabled, 0 when enabled.");
    }

    public void Pass(bool completed) => _passes.Add(1, new KeyValuePair<string, object?>("result", completed ? "completed" : "failed"));

    public void Event(bool recovered) =>
        _events.Add(1, new KeyValuePair<string, object?>("outcome", recovered ? "recovered" : "already_present"));

    public void EndpointStatus(string status) => _endpointStatus = status;
}
