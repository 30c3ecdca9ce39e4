using Microsoft.Extensions.DependencyInjection.Extensions;
using Provisioning.Gateway.Jobs;
using Provisioning.Gateway.Operators;
using Provisioning.ServiceDefaults.Telemetry;

namespace Provisioning.Gateway.Observability;

public static class GatewayMetricsExtensions
{
    /// <summary>
    /// The shared OpenTelemetry wiring (service <c>provisioning-gateway</c>), the gateway's own instruments and spans
    /// (<see cref="GatewayTelemetry"/>), the jobs-by-status gauge (<see cref="JobStatusGauge"/>) and the Stripe inbox's
    /// backlog (<see cref="InboxBacklogGauge"/>).
    /// </summary>
    public static IHostApplicationBuilder AddGatewayTelemetry(this IHostApplicationBuilder builder)
    {
        builder.AddProvisioningTelemetry("provisioning-gateway");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<JobCountsQuery>();
        builder.Services.AddSingleton<GatewayTelemetry>();
        builder.Services.AddSingleton<JobStatusGauge>();
        builder.Services.AddSingleton<InboxBacklogGauge>();
        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus' text format, under the read policy (<see cref="OperatorAccess.ReadPolicy"/>): open on
    /// a loopback-only gateway, else a scraper sends an operator key. It shows job counts, as <c>/api/jobs/counts</c> does.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayMetrics(this IEndpointRouteBuilder app)
    {
        // The gauge reports from the moment it exists: create it with the endpoint that serves it.
        _ = app.ServiceProvider.GetRequiredService<JobStatusGauge>();
        _ = app.ServiceProvider.GetRequiredService<InboxBacklogGauge>();
        app.MapProvisioningMetrics().RequireAuthorization(OperatorAccess.ReadPolicy).ExcludeFromDescription();
        return app;
    }
}
