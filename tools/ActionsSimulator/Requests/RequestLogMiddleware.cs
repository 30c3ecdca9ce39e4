using System.Globalization;
using System.Text;
using System.Text.Json;
using Provisioning.ActionsSimulator.Control;
using Provisioning.ActionsSimulator.Faults;
using Provisioning.ActionsSimulator.GitHub;

namespace Provisioning.ActionsSimulator.Requests;

/// <summary>
/// Logs every request outside <c>/_simulator</c> when it arrives, reads its body once for the handlers, records the answer
/// when it is done, and prints one line for it. A client that gives up (or a held request) ends with no status.
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, TimeProvider time, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(ControlApi.Prefix))
        {
            await next(context);
            return;
        }

        var started = time.GetTimestamp();
        var receivedAt = Milliseconds(time.GetUtcNow());
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        var entry = log.Add(sequence => Received(sequence, receivedAt, context.Request, body), body);
        context.Features.Set(entry);
        var gaveUp = false;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            gaveUp = true;
        }

        var answered = !gaveUp && !entry.Unanswered && !context.RequestAborted.IsCancellationRequested;
        entry.Update(r => r with { Status = answered ? context.Response.StatusCode : null, CompletedAt = Milliseconds(time.GetUtcNow()) });
        var done = entry.Record;
        SimulatorLog.Request(logger, done.Method, done.Path, done.Status?.ToString(CultureInfo.InvariantCulture) ?? "no answer",
            time.GetElapsedTime(started).TotalMilliseconds, done.JobId ?? "-", done.Fault?.Kind ?? "-", done.RunId?.ToString(CultureInfo.InvariantCulture) ?? "-",
            done.Authorization ?? "-");
    }

    private static RequestRecord Received(long sequence, DateTimeOffset receivedAt, HttpRequest request, byte[] body)
    {
        var json = Json(body);
        return new RequestRecord(
            sequence,
            receivedAt,
            request.Method,
            request.Path + request.QueryString,
            AuthorizationHeader.Scheme(request.Headers.Authorization),
            request.Headers["X-GitHub-Api-Version"],
            request.Headers.Accept,
            request.Headers.UserAgent,
            json,
            DispatchFacts.From(json).JobId,
            null,
            null,
            null,
            null,
            null,
            request.Headers.TryGetValue("traceparent", out var traceParent) ? traceParent.ToString() : null);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static JsonElement? Json(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(body));
        }
    }

    private static DateTimeOffset Milliseconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
