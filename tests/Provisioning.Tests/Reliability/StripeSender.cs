using System.Collections.Concurrent;
using System.Diagnostics;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reliability;

/// <summary>
/// Delivers Stripe events the way Stripe does: each delivery signed anew; a 2xx acknowledges the event; any other answer,
/// a network error or no answer within <see cref="RequestTimeout"/> means "try again later", with a growing pause, until the
/// event is acknowledged or the deadline passes. Everything sent and answered is counted in a <see cref="DeliveryLog"/>.
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

    private async Task DeliverOneAsync(StripeTestEvent stripeEvent, DeliveryLog log, Stopwatch clock, TimeSpan deadline)
    {
        var delivery = log.Sent(stripeEvent);
        for (var attempt = 0; clock.Elapsed < deadline; attempt++)
        {
            var answer = await SendAsync(stripeEvent);
            delivery.Record(answer);
            if (answer is >= 200 and < 300)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, attempt), 3000)));
        }
    }

    /// <summary>The status answered, or <see cref="DeliveryLog.NoAnswer"/> for a timeout or a network error.</summary>
    private async Task<int> SendAsync(StripeTestEvent stripeEvent)
    {
        using var cts = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var request = stripeEvent.ToRequest();
            using var response = await _http.SendAsync(request, cts.Token);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return DeliveryLog.NoAnswer;
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

    public EventDelivery Sent(StripeTestEvent stripeEvent) => _events.GetOrAdd(stripeEvent.Id, _ => new EventDelivery(stripeEvent.Id));

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
}

/// <summary>One event's deliveries: the answers in the order they came, and whether any was a 2xx.</summary>
public sealed class EventDelivery(string eventId)
{
    private readonly ConcurrentQueue<int> _answers = new();

    public string EventId { get; } = eventId;

    public IReadOnlyList<int> Answers => _answers.ToArray();

    public bool Acknowledged => _answers.Any(s => s is >= 200 and < 300);

    public void Record(int status) => _answers.Enqueue(status);
}
