using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Provisioning.Tests.Infrastructure;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Provisioning.Tests.Workflow;

/// <summary>
/// A tiny HTTP server on loopback standing in for the gateway's <c>POST /api/webhooks/github</c>: it keeps every request
/// it receives, checks its Standard Webhooks signature with its own implementation (not the project's), and answers what
/// <see cref="Answer"/> says (200 by default).
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly StandardWebhook _webhook;
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();
    private readonly Task _loop;

    private CallbackReceiver(HttpListener listener, Uri url, StandardWebhook webhook)
    {
        _listener = listener;
        Url = url;
        _webhook = webhook;
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The callback URL to dispatch with.</summary>
    public Uri Url { get; }

    /// <summary>Decides each answer from the request and the number of requests before it; 200 with a small JSON body by default.</summary>
    public Func<ReceivedCallback, int, CallbackAnswer> Answer { get; set; } = (_, _) => CallbackAnswer.Ok;

    public IReadOnlyList<ReceivedCallback> Received => [.. _received];

    /// <summary>Starts listening on a free loopback port; requests are checked against <paramref name="secret"/> (<c>whsec_&lt;base64&gt;</c>).</summary>
    public static CallbackReceiver Start(string secret)
    {
        var webhook = new StandardWebhook(secret);
        for (var tries = 1; ; tries++)
        {
            var url = new Uri($"http://127.0.0.1:{FreePort.Next()}/api/webhooks/github");
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{url.Port}/");
            try
            {
                listener.Start();
                return new CallbackReceiver(listener, url, webhook);
            }
            catch (HttpListenerException) when (tries < 5)
            {
                // Someone took the port in between: try another.
                listener.Close();
            }
        }
    }

    /// <summary>The callbacks of one job, in the order received.</summary>
    public IReadOnlyList<ReceivedCallback> For(string jobId) => [.. _received.Where(c => c.JobId == jobId)];

    /// <summary>Waits until a callback of <paramref name="jobId"/> matches; returns the job's callbacks up to then.</summary>
    public Task<IReadOnlyList<ReceivedCallback>> WaitForAsync(string jobId, Func<ReceivedCallback, bool> match, TimeSpan timeout, string what) =>
        Eventually.UntilAsync(() => Task.FromResult(For(jobId)), callbacks => callbacks.Any(match), timeout, what);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopped while waiting for a request.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        var callback = new ReceivedCallback(
            DateTimeOffset.UtcNow,
            context.Request.HttpMethod,
            context.Request.Url?.AbsolutePath ?? "",
            context.Request.ContentType,
            headers["webhook-id"],
            headers["webhook-timestamp"],
            headers["webhook-signature"],
            body,
            SignatureHolds(headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body));
        var answer = Answer(callback, _received.Count);
        _received.Enqueue(callback);
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.Status == 409 ? "application/problem+json" : "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    /// <summary>The Standard Webhooks check of the <c>StandardWebhooks</c> package, independent of the product's verifier.</summary>
    private bool SignatureHolds(string? id, string? timestamp, string? signatures, string body)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = signatures,
        };
        try
        {
            _webhook.Verify(body, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }
}

/// <summary>What <see cref="CallbackReceiver"/> answers.</summary>
public sealed record CallbackAnswer(int Status, string Body)
{
    public static CallbackAnswer Ok { get; } = new(200, """{"status":"provisioning","attempt":1,"duplicate":false}""");

    public static CallbackAnswer Conflict { get; } = new(409, """{"title":"Conflict","status":"cancelled","attempt":1,"detail":"the job is already cancelled"}""");

    public static CallbackAnswer Unavailable { get; } = new(503, """{"title":"Service Unavailable"}""");
}

/// <summary>One request <see cref="CallbackReceiver"/> received, with whether its signature verified.</summary>
public sealed record ReceivedCallback(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string? ContentType,
    string? WebhookId,
    string? Timestamp,
    string? Signature,
    string Body,
    bool SignatureValid)
{
    public JsonElement Json { get; } = Parse(Body);

    public string? Event => Text("event");

    public string? JobId => Text("job_id");

    public JsonElement Field(string name) => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) ? value : default;

    public string? Text(string name) => Field(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>The webhook-timestamp as a time, for the 5-minute tolerance.</summary>
    public DateTimeOffset SignedAt => DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp!, CultureInfo.InvariantCulture));

    private static JsonElement Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
