using System.Collections.Concurrent;

namespace Provisioning.Bench;

/// <summary>
/// Every event the benchmark has sent and whether the gateway acknowledged it (a 2xx). An event that got anything else
/// is owed a redelivery, the way Stripe redelivers; the final check compares the acknowledged events with the jobs.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BenchEvent> _owed = new(StringComparer.Ordinal);
    private readonly List<BenchEvent> _redeliverable = [];
    private readonly Lock _lock = new();

    public int AcknowledgedCount => _acknowledged.Count;

    public IReadOnlyCollection<string> AcknowledgedIds => [.. _acknowledged.Keys];

    public IReadOnlyCollection<BenchEvent> Owed => [.. _owed.Values];

    public DateTimeOffset? AcknowledgedAt(string id) => _acknowledged.TryGetValue(id, out var at) ? at : null;

    public void Record(BenchEvent e, bool acknowledged, DateTimeOffset at)
    {
        if (!acknowledged)
        {
            if (!_acknowledged.ContainsKey(e.Id))
            {
                _owed.TryAdd(e.Id, e);
            }

            return;
        }

        _owed.TryRemove(e.Id, out _);
        if (_acknowledged.TryAdd(e.Id, at))
        {
            lock (_lock)
            {
                _redeliverable.Add(e);
            }
        }
    }

    /// <summary>An event already acknowledged, to deliver again (Stripe delivers some events more than once).</summary>
    public BenchEvent? AnyAcknowledged()
    {
        lock (_lock)
        {
            return _redeliverable.Count == 0 ? null : _redeliverable[Random.Shared.Next(_redeliverable.Count)];
        }
    }
}
