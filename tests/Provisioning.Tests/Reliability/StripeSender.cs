using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Delivers Stripe events the way Stripe does: each delivery signed anew; a 2xx acknowledges the event (the service then
/// owes everything it leads to); any other answer, a network error or no answer within <see cref="RequestTimeout"/> means
/// "try again later", with a growing pause that ignores <c>Retry-After</c> as Stripe's own schedule does, until the event
/// is acknowledged or the deadline passes. Everything sent and answered is counted in a <see cref="DeliveryLog"/>.
/// </summary>
public sealed class StripeSender(Uri gateway) : IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(12);

    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Delivers every item (an event may appear several times: each copy is its own delivery, retried on its own), at most
    /// <paramref name="concurrency"/> at a time, each until acknowledged or <paramref name="deadline"/> after the start.
    /// </summary>
    public async Task DeliverAsync(IEnumerable<StripeTestEvent> events, DeliveryLog log, int concurrency, TimeSpan deadline)
    {
        var until = Stopwatch.StartNew();
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (stripeEvent, _) => await DeliverOneAsync(stripeEvent, log, until, deadline));
    }

    /// <summary>
    /// Steady traffic: starts one delivery every <c>1 / perSecond</c> seconds, in order, whatever the answers; each is retried
    /// on its own as in <see cref="DeliverAsync"/>, until acknowledged or <paramref name="deadline"/> after the start.
    /// </summary>
    public async Task DeliverSteadilyAsync(IReadOnlyList<StripeTestEvent> events, DeliveryLog log, double perSecond, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var deliveries = new List<Task>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var stripeEvent = events[i];
            deliveries.Add(Task.Run(() => DeliverOneAsync(stripeEvent, log, clock, deadline)));
        }

        await Task.WhenAll(deliveries);
    }

    private async Task DeliverOneAsync(StripeTestEvent stripeEvent, DeliveryLog log, Stopwatch clock, TimeSpan deadline)
    {
        var delivery = log.Sent(stripeEvent);
        for (var attempt = 0; clock.Elapsed < deadline; attempt++)
        {
            var reply = await SendAsync(stripeEvent);
            delivery.Record(reply);
            if (reply.Acknowledges)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt), 3000)));
        }
    }

    /// <summary>The answer, or <see cref="DeliveryLog.NoAnswer"/> as its status for a timeout or a network error.</summary>
    private async Task<DeliveryReply> SendAsync(StripeTestEvent stripeEvent)
    {
        using var cts = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var request = stripeEvent.ToRequest();
            using var response = await _http.SendAsync(request, cts.Token);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            return DeliveryReply.Read((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta, DateTimeOffset.UtcNow);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new DeliveryReply(DeliveryLog.NoAnswer, null, null, null, null, DateTimeOffset.UtcNow);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What a scenario sent to the Stripe webhook and what it was answered, per event.</summary>
public sealed class DeliveryLog
{
    /// <summary>Recorded in place of a status when no answer came (timeout, connection refused or reset).</summary>
    public const int NoAnswer = 0;

    private readonly ConcurrentDictionary<string, EventDelivery> _events = new();

    public IReadOnlyCollection<EventDelivery> Events => _events.Values.ToArray();

    public EventDelivery Sent(StripeTestEvent stripeEvent) =>
        _events.GetOrAdd(stripeEvent.Id, _ => new EventDelivery(stripeEvent.Id, CheckoutSessionOf(stripeEvent)));

    public IReadOnlyList<string> SentIds => _events.Keys.Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<string> AcknowledgedIds => _events.Values.Where(e => e.Acknowledged).Select(e => e.EventId).Order(StringComparer.Ordinal).ToArray();

    public int Requests => _events.Values.Sum(e => e.Answers.Count);

    /// <summary>
    /// Waits (90 s at most) until <paramref name="count"/> events are acknowledged or the <paramref name="burst"/>
    /// delivering them has ended, whichever comes first: the moment a scenario injects or heals its fault.
    /// </summary>
    public Task UntilAcknowledgedAsync(int count, Task burst, string what) =>
        Eventually.UntilAsync(() => Task.FromResult(AcknowledgedIds.Count >= count || burst.IsCompleted), TimeSpan.FromSeconds(90), what);

    /// <summary>Answers by status (<c>0</c>: no answer), over every request sent.</summary>
    public IReadOnlyDictionary<string, int> AnswerCounts =>
        _events.Values.SelectMany(e => e.Answers).GroupBy(s => s == NoAnswer ? "none" : s.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Refusals by status, problem <c>reason</c> and <c>Retry-After</c>, e.g. <c>503 backlog retry-after 5</c>.</summary>
    public IReadOnlyDictionary<string, int> RefusalCounts =>
        _events.Values.SelectMany(e => e.Replies).Where(r => !r.Acknowledges && r.Status != NoAnswer).GroupBy(r => r.Describe())
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The checkout session a <c>checkout.session.*</c> event is about (<c>data.object.id</c>), else null.</summary>
    private static string? CheckoutSessionOf(StripeTestEvent stripeEvent)
    {
        using var json = JsonDocument.Parse(stripeEvent.Json);
        return json.RootElement.GetProperty("data").GetProperty("object") is var o
            && o.TryGetProperty("object", out var kind) && kind.GetString() == "checkout.session"
            ? o.GetProperty("id").GetString()
            : null;
    }
}

/// <summary>
/// One event's deliveries: the replies in the order they came, whether any was a 2xx, and the checkout session the event is
/// about (two Event objects of one session share it).
/// </summary>
public sealed class EventDelivery(string eventId, string? checkoutSessionId)
{
    private readonly ConcurrentQueue<DeliveryReply> _replies = new();

    public string EventId { get; } = eventId;

    public string? CheckoutSessionId { get; } = checkoutSessionId;

    public IReadOnlyList<DeliveryReply> Replies => _replies.ToArray();

    /// <summary>The statuses answered, in order (<see cref="DeliveryLog.NoAnswer"/> for none).</summary>
    public IReadOnlyList<int> Answers => _replies.Select(r => r.Status).ToArray();

    public bool Acknowledged => _replies.Any(r => r.Acknowledges);

    public void Record(DeliveryReply reply) => _replies.Enqueue(reply);
}

/// <summary>
/// What one delivery was answered: the status, the problem's <c>reason</c> or the receipt's <c>outcome</c> and
/// <c>duplicate</c>, the <c>Retry-After</c> in seconds, and when the answer came.
/// </summary>
public sealed record DeliveryReply(int Status, string? Reason, string? Outcome, bool? Duplicate, int? RetryAfterSeconds, DateTimeOffset At)
{
    public bool Acknowledges => Status is >= 200 and < 300;

    public static DeliveryReply Read(int status, string body, TimeSpan? retryAfter, DateTimeOffset at)
    {
        string? reason = null, outcome = null;
        bool? duplicate = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                reason = Text(json.RootElement, "reason");
                outcome = Text(json.RootElement, "outcome");
                duplicate = json.RootElement.TryGetProperty("duplicate", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? d.GetBoolean()
                    : null;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page, an empty body): the status says enough.
        }

        return new DeliveryReply(status, reason, outcome, duplicate, retryAfter is { } r ? (int)r.TotalSeconds : null, at);
    }

    public string Describe() =>
        $"{Status}{(Reason is null ? "" : $" {Reason}")}{(RetryAfterSeconds is { } s ? $" retry-after {s}" : "")}";

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
