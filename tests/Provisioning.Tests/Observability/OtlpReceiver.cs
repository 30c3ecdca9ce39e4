using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Observability;

/// <summary>
/// A span as an OTLP exporter sent it: ids in lowercase hex, its kind (OTLP's numbers: 1 internal, 2 server, 3 client,
/// 4 producer, 5 consumer), attributes as text, and the sender's <c>service.name</c>.
/// </summary>
public sealed record OtlpSpan(
    string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes)
{
    public const int ClientKind = 3;
}

/// <summary>A log record as an OTLP exporter sent it: its trace id (null outside a trace), body and attributes as text.</summary>
public sealed record OtlpLogRecord(string Service, string? TraceId, string? Body, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP receiver on a loopback port (the collector's protocol, <c>http/protobuf</c>): keeps the spans
/// (<c>POST /v1/traces</c>) and log records (<c>POST /v1/logs</c>) the hosts export, and accepts metrics (<c>/v1/metrics</c>)
/// without reading them. Point a host's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> at <see cref="Endpoint"/> with
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentQueue<OtlpLogRecord> _logs = new();
    private int _metricExports;

    private OtlpReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public IReadOnlyCollection<OtlpSpan> Spans => _spans;

    public IReadOnlyCollection<OtlpLogRecord> Logs => _logs;

    /// <summary>How many metric exports arrived.</summary>
    public int MetricExports => Volatile.Read(ref _metricExports);

    /// <summary>The settings (environment variable names) that make a host export all its signals here, promptly.</summary>
    public IReadOnlyDictionary<string, string?> ExporterSettings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    public static async Task<OtlpReceiver> StartAsync()
    {
        var endpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(endpoint.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, endpoint);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            foreach (var span in OtlpProtobuf.ReadSpans(await ReadAsync(request)))
            {
                receiver._spans.Enqueue(span);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            foreach (var record in OtlpProtobuf.ReadLogs(await ReadAsync(request)))
            {
                receiver._logs.Enqueue(record);
            }

            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            await ReadAsync(request);
            Interlocked.Increment(ref receiver._metricExports);
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
