namespace Provisioning.Bench;

/// <summary>
/// Sends signed checkout webhooks in the traffic's mix (<see cref="TrafficMix"/>). Every event is delivered until it is
/// acknowledged, its sender waiting out each 429/503's <c>Retry-After</c> as one that honours it would; any other answer,
/// or the phase's end during such a wait, leaves the event owed. Closed loop (a fixed number of senders, each waiting for its
/// answer) measures the most the receiver takes; open loop (a fixed arrival rate, latency counted from each delivery's
/// planned time so a slow answer cannot hide the queue behind it) measures latency at a given load.
/// </summary>
public sealed class WebhookLoad(WebhookSender sender, CheckoutEvents events, Ledger ledger, TrafficMix mix)
{
    public async Task<PhaseResult> ClosedLoopAsync(string name, int concurrency, TimeSpan duration)
    {
        var result = new PhaseResult(name);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (result.Elapsed < duration)
            {
                await UntilAcknowledgedAsync(Pick(events.Next)!, result, result.Elapsed, stopAt: duration);
            }
        }));
        result.Duration = result.Elapsed;
        return result;
    }

    /// <summary>
    /// <paramref name="rate"/> deliveries per second for <paramref name="duration"/>, whatever the answers take; at most
    /// <paramref name="maxInFlight"/> wait for an answer at once (the rest count as failed: the client itself is saturated).
    /// An event shed by the receiver is tried again until <paramref name="retryFor"/> after the phase.
    /// </summary>
    public async Task<PhaseResult> OpenLoopAsync(string name, double rate, TimeSpan duration, TimeSpan retryFor, int maxInFlight = 4096)
    {
        var result = new PhaseResult(name) { Duration = duration };
        var total = (int)(rate * duration.TotalSeconds);
        var inFlight = new List<Task>(total);
        var open = 0;
        for (var i = 0; i < total; i++)
        {
            var plannedAt = TimeSpan.FromSeconds(i / rate);
            var wait = plannedAt - result.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            if (Volatile.Read(ref open) >= maxInFlight)
            {
                result.Add(new Delivered(Answer.Failed, TimeSpan.Zero, null, null));
                continue;
            }

            var e = Pick(events.Next)!;
            Interlocked.Increment(ref open);
            inFlight.Add(Task.Run(async () =>
            {
                await UntilAcknowledgedAsync(e, result, plannedAt, stopAt: duration + retryFor);
                Interlocked.Decrement(ref open);
            }));
        }

        await Task.WhenAll(inFlight);
        return result;
    }

    /// <summary>
    /// <paramref name="checkouts"/> new checkout sessions (and the traffic's redeliveries and second events among them),
    /// sent by <paramref name="concurrency"/> senders as fast as they are answered, until each is acknowledged or
    /// <paramref name="limit"/> has passed.
    /// </summary>
    public async Task<PhaseResult> BurstAsync(string name, int checkouts, int concurrency, TimeSpan limit)
    {
        var result = new PhaseResult(name);
        var handedOut = 0;
        BenchEvent? NextCheckout() => Interlocked.Increment(ref handedOut) <= checkouts ? events.Next() : null;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (result.Elapsed < limit && Pick(NextCheckout) is { } e)
            {
                await UntilAcknowledgedAsync(e, result, result.Elapsed, stopAt: limit);
            }
        }));
        result.Duration = result.Elapsed;
        return result;
    }

    /// <summary>Delivers every event not yet acknowledged again, in rounds, until each is or <paramref name="limit"/> has passed.</summary>
    public async Task<PhaseResult> RedeliverOwedAsync(TimeSpan limit, int concurrency = 16)
    {
        var result = new PhaseResult("owed");
        while (ledger.Owed.Count > 0 && result.Elapsed < limit)
        {
            await Parallel.ForEachAsync(ledger.Owed, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (e, _) => await UntilAcknowledgedAsync(e, result, result.Elapsed, stopAt: limit));
            if (ledger.Owed.Count > 0)
            {
                // Answers other than a shed (an error, a time-out) say nothing of when to try again: a round a second.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        result.Duration = result.Elapsed;
        return result;
    }

    /// <summary>
    /// Delivers each of <paramref name="acknowledged"/> once more (until answered, or <paramref name="limit"/>): a receipt
    /// without <c>duplicate</c> marks an event whose record was lost.
    /// </summary>
    public async Task<PhaseResult> RedeliverAsync(string name, IReadOnlyList<BenchEvent> acknowledged, TimeSpan limit, int concurrency = 16)
    {
        var result = new PhaseResult(name);
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (e, _) => await UntilAcknowledgedAsync(e, result, result.Elapsed, stopAt: limit));
        result.Duration = result.Elapsed;
        return result;
    }

    private BenchEvent? Pick(Func<BenchEvent?> newCheckout)
    {
        var r = Random.Shared.NextDouble();
        if (r < mix.Redeliveries && ledger.AnyAcknowledged() is { } again)
        {
            return again;
        }

        if (r < mix.Redeliveries + mix.SecondEvents && ledger.TakeForSecond() is { } first)
        {
            return CheckoutEvents.SecondOf(first);
        }

        return newCheckout();
    }

    /// <summary>Delivers <paramref name="e"/> until it is acknowledged; latency counts from <paramref name="since"/>.</summary>
    private async Task UntilAcknowledgedAsync(BenchEvent e, PhaseResult result, TimeSpan since, TimeSpan stopAt)
    {
        ledger.Sent(e);
        while (true)
        {
            var wasAcknowledged = ledger.IsAcknowledged(e.Id);
            var delivered = await sender.SendAsync(e, readReceipt: wasAcknowledged || e.Second);
            result.Add(delivered);
            var acknowledged = delivered.Answer == Answer.Acknowledged;
            if (ledger.Record(e, acknowledged, DateTimeOffset.UtcNow) && !e.Second)
            {
                result.Checkout(e, since);
            }

            if (acknowledged)
            {
                result.Acknowledged(result.Elapsed - since);
                if (wasAcknowledged && delivered.Receipt is { Duplicate: false })
                {
                    ledger.RecordUnrecorded(e);
                }

                if (e.Second && !wasAcknowledged && delivered.Receipt?.JobId != e.JobId)
                {
                    ledger.RecordOtherJob(e);
                }

                return;
            }

            if (delivered.Answer != Answer.Shed)
            {
                result.GaveUp();
                return;
            }

            // A sender told to wait sends nothing meanwhile, not even another event, also when the wait outlasts the phase.
            var left = stopAt - result.Elapsed;
            var wait = delivered.RetryAfter < left ? delivered.RetryAfter : left;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (result.Elapsed >= stopAt)
            {
                result.GaveUp();
                return;
            }
        }
    }
}
