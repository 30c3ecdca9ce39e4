using System.Diagnostics;
using System.Net;

namespace Provisioning.Bench;

/// <summary>
/// Sends signed checkout webhooks to the gateway: new events, plus a share of redeliveries of events already
/// acknowledged. Closed loop (a fixed number of senders, each waiting for its answer) measures the most the service
/// takes; open loop (a fixed arrival rate, latency counted from each delivery's planned start so a slow answer cannot
/// hide the queue behind it) measures latency at a given load.
/// </summary>
public sealed class WebhookLoad(HttpClient http, CheckoutEvents events, Ledger ledger, double duplicateShare)
{
    public async Task<PhaseResult> ClosedLoopAsync(string name, int concurrency, TimeSpan duration)
    {
        var result = new PhaseResult(name, duration);
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                var answer = await DeliverAsync(PickEvent());
                result.Add(answer, clock.Elapsed - started);
            }
        });
        await Task.WhenAll(senders);
        result.Duration = clock.Elapsed;
        return result;
    }

    /// <summary>
    /// <paramref name="rate"/> deliveries per second for <paramref name="duration"/>, whatever the answers take; at most
    /// <paramref name="maxInFlight"/> wait for an answer at once (the rest count as failed: the client itself is saturated).
    /// </summary>
    public async Task<PhaseResult> OpenLoopAsync(
        string name, double rate, TimeSpan duration, int maxInFlight = 4096, Action<BenchEvent, DateTimeOffset>? sent = null)
    {
        var result = new PhaseResult(name, duration);
        var total = (int)(rate * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        var open = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var plannedAt = TimeSpan.FromSeconds(i / rate);
            var wait = plannedAt - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            if (Volatile.Read(ref open) >= maxInFlight)
            {
                result.Add(Answer.Failed, TimeSpan.Zero);
                continue;
            }

            var e = PickEvent();
            sent?.Invoke(e, DateTimeOffset.UtcNow);
            Interlocked.Increment(ref open);
            inFlight.Add(Task.Run(async () =>
            {
                var answer = await DeliverAsync(e);
                result.Add(answer, clock.Elapsed - plannedAt);
                Interlocked.Decrement(ref open);
            }));
        }

        await Task.WhenAll(inFlight);
        return result;
    }

    /// <summary>Delivers every event not yet acknowledged again until each is, or until <paramref name="deadline"/>.</summary>
    public async Task<int> RedeliverOwedAsync(TimeSpan deadline, int concurrency = 16)
    {
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        while (ledger.Owed.Count > 0 && clock.Elapsed < deadline)
        {
            rounds++;
            await Parallel.ForEachAsync(ledger.Owed, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (e, _) => await DeliverAsync(e));
            if (ledger.Owed.Count > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        return ledger.Owed.Count;
    }

    private BenchEvent PickEvent() =>
        Random.Shared.NextDouble() < duplicateShare && ledger.AnyAcknowledged() is { } again ? again : events.Next();

    private async Task<Answer> DeliverAsync(BenchEvent e)
    {
        Answer answer;
        try
        {
            using var request = events.Request(e);
            using var response = await http.SendAsync(request);
            answer = (int)response.StatusCode is >= 200 and < 300 ? Answer.Acknowledged
                : response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                    && response.Headers.RetryAfter is not null ? Answer.Shed
                : Answer.Other;
        }
        catch (TaskCanceledException)
        {
            answer = Answer.TimedOut;
        }
        catch (HttpRequestException)
        {
            answer = Answer.Failed;
        }

        ledger.Record(e, answer == Answer.Acknowledged, DateTimeOffset.UtcNow);
        return answer;
    }
}
