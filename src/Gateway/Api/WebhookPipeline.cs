using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.Gateway.Api;

/// <summary>What a webhook accepts and how long its call may take.</summary>
/// <param name="MaxBodyBytes">The largest body accepted; a larger one is refused with 413 before it is read to the end.</param>
/// <param name="CallDeadline">How long the call into the cluster may take before the delivery is answered 503.</param>
/// <param name="BodyLimitOf">What the body limit is for, in the 413's detail ("a Stripe event"), if worth saying.</param>
/// <param name="WhenBodyTooSlow">What the sender should do after a 408 for a body too slow, if worth saying.</param>
public sealed record WebhookLimits(int MaxBodyBytes, TimeSpan CallDeadline, string? BodyLimitOf = null, string? WhenBodyTooSlow = null);

/// <summary>One inbound webhook request as it goes through a <see cref="WebhookPipeline{TMessage,TReceipt}"/>.</summary>
/// <param name="Http">The request.</param>
/// <param name="StartedAt">When the pipeline took it, as a <see cref="TimeProvider"/> timestamp (for latency figures).</param>
public sealed record WebhookRequest(HttpRequest Http, long StartedAt)
{
    /// <summary>The raw body, as signed, once it has been read.</summary>
    public byte[] Body { get; internal set; } = [];

    public HttpResponse Response => Http.HttpContext.Response;

    public IHeaderDictionary Headers => Http.Headers;

    public string? RemoteAddress => Http.HttpContext.Connection.RemoteIpAddress?.ToString();
}

/// <summary>What reading a verified body gave: a message for the grain, a rejection, or an answer that needs no grain.</summary>
public readonly record struct WebhookParse<TMessage, TReceipt>(
    TMessage? Message, WebhookRejection? Rejection, Results<Ok<TReceipt>, ProblemHttpResult>? Answer);

/// <summary>
/// The shape every inbound webhook shares: read the raw body within a size limit and <see cref="WebhookBody.ReadDeadline"/>,
/// verify the sender's signature, parse, then call the cluster within <see cref="WebhookLimits.CallDeadline"/>. A refusal before the call
/// changes nothing and calls no grain; a call that fails or passes its deadline is not known to have happened, so it answers
/// 503 with <c>Retry-After</c> and the sender delivers again. Each webhook supplies only what differs.
/// </summary>
/// <typeparam name="TMessage">What the grain is told, read from the verified body.</typeparam>
/// <typeparam name="TReceipt">The 200 answer's body.</typeparam>
public abstract class WebhookPipeline<TMessage, TReceipt>(TimeProvider time, WebhookLimits limits)
{
    public async Task<Results<Ok<TReceipt>, ProblemHttpResult>> HandleAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var request = new WebhookRequest(http, time.GetTimestamp());
        if (Admit(request) is { } refused)
        {
            return refused;
        }

        var (body, unread) = await WebhookBody.ReadOrRejectAsync(
            http, limits.MaxBodyBytes, limits.BodyLimitOf, limits.WhenBodyTooSlow, cancellationToken);
        if (body is null)
        {
            return Reject(request, unread!);
        }

        request.Body = body;

        if (Verify(request, body) is { } forged)
        {
            return Reject(request, forged);
        }

        var parsed = Parse(request, body);
        if (parsed.Rejection is { } invalid)
        {
            return Reject(request, invalid);
        }

        if (parsed.Answer is { } answer)
        {
            return answer;
        }

        var message = parsed.Message!;
        var (place, busy) = await TakePlaceAsync(request, message, cancellationToken);
        if (busy is not null)
        {
            return busy;
        }

        using var held = place;
        using var span = StartSpan(message);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limits.CallDeadline);
            return await CallAsync(request, message, span, deadline.Token).WaitAsync(limits.CallDeadline, time, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Storage down, a silo gone, no cluster connection, the deadline passed: whatever failed, the call is not known
            // to have taken effect. Every call is idempotent, so the sender's next delivery is safe.
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return Unavailable(request, message, span, ex);
        }
    }

    /// <summary>An answer before the body is read (a wrong media type, an endpoint not configured), or null to go on.</summary>
    protected virtual ProblemHttpResult? Admit(WebhookRequest request) => null;

    /// <summary>Why the body is not authentic, or null when its signature holds.</summary>
    protected abstract WebhookRejection? Verify(WebhookRequest request, byte[] body);

    /// <summary>The message in an authentic body (<see cref="Proceed"/>), why it is refused, or an answer without a call.</summary>
    protected abstract WebhookParse<TMessage, TReceipt> Parse(WebhookRequest request, byte[] body);

    /// <summary>
    /// A place to make the call, held until it is answered, or the answer when there is none (too many calls at once).
    /// By default there is no bound.
    /// </summary>
    protected virtual ValueTask<(IDisposable? Place, ProblemHttpResult? Busy)> TakePlaceAsync(
        WebhookRequest request, TMessage message, CancellationToken cancellationToken) => ValueTask.FromResult<(IDisposable?, ProblemHttpResult?)>((null, null));

    /// <summary>The trace span of the call, if this webhook has one.</summary>
    protected virtual Activity? StartSpan(TMessage message) => null;

    /// <summary>Tells the cluster; <paramref name="deadline"/> ends at <see cref="WebhookLimits.CallDeadline"/>.</summary>
    protected abstract Task<Results<Ok<TReceipt>, ProblemHttpResult>> CallAsync(
        WebhookRequest request, TMessage message, Activity? span, CancellationToken deadline);

    /// <summary>The 503 (made with <see cref="ApiProblems.Unavailable"/>) for a call that failed with <paramref name="exception"/>.</summary>
    protected abstract ProblemHttpResult Unavailable(WebhookRequest request, TMessage message, Activity? span, Exception exception);

    /// <summary>Counts and logs a refusal; <paramref name="kind"/> is the event's kind when it was known before the refusal.</summary>
    protected abstract void OnRejected(WebhookRequest request, WebhookRejection rejection, string? kind);

    /// <summary>Refuses the delivery: counted, logged and answered as <paramref name="rejection"/>'s problem.</summary>
    protected ProblemHttpResult Reject(WebhookRequest request, WebhookRejection rejection, string? kind = null)
    {
        OnRejected(request, rejection, kind);
        return rejection.ToProblem();
    }

    protected static WebhookParse<TMessage, TReceipt> Proceed(TMessage message) => new(message, null, null);

    protected static WebhookParse<TMessage, TReceipt> Refuse(WebhookRejection rejection) => new(default, rejection, null);

    protected static WebhookParse<TMessage, TReceipt> Answer(Results<Ok<TReceipt>, ProblemHttpResult> answer) => new(default, null, answer);
}
