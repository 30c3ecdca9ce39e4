using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Provisioning.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The path of the Prometheus scrape endpoint on every host.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Metrics, traces and logs through OpenTelemetry. Metrics: the product's meter (<see cref="ProvisioningTelemetry.Name"/>),
    /// ASP.NET Core, HttpClient, Npgsql, Orleans and the .NET runtime, served in Prometheus' text format by
    /// <see cref="MapProvisioningMetrics"/>. Traces: the product's spans, incoming and outgoing HTTP, Orleans grain calls and
    /// Npgsql commands, with the W3C <c>traceparent</c> carried through HTTP and grain calls (hosts add Orleans' activity
    /// propagation); a database or HTTP call outside any trace starts none (<see cref="BackgroundClientCallSampler"/>). When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, all three signals are also exported by OTLP, configured by
    /// the standard <c>OTEL_*</c> variables. <paramref name="serviceName"/> is the <c>service.name</c> unless
    /// <c>OTEL_SERVICE_NAME</c> names another.
    /// </summary>
    public static IHostApplicationBuilder AddProvisioningTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(logs =>
        {
            logs.IncludeFormattedMessage = true;
            logs.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(serviceName);
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(ProvisioningTelemetry.Name)
                .AddMeter(ProvisioningTelemetry.OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // Every scrape collects afresh (no cached answer): Prometheus scrapes every few seconds at most.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new BackgroundClientCallSampler()))
                .AddSource(ProvisioningTelemetry.Name)
                .AddSource(ProvisioningTelemetry.OrleansGrainCalls)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeOrScrape(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c>: this host's metrics in Prometheus' text format. The returned builder lets a host that serves data
    /// to the outside require authorization on it.
    /// </summary>
    public static IEndpointConventionBuilder MapProvisioningMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath);

    private static bool IsProbeOrScrape(string? path) =>
        path is "/healthz" or "/readyz" or MetricsPath;
}
