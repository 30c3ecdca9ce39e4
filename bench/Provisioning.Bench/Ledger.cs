using System.Collections.Concurrent;

namespace Provisioning.Bench;

/// <summary>
/// Every event the benchmark has sent, the checkout session it belongs to, and whether the receiver acknowledged it (a 2xx).
/// An event that got anything else is owed a redelivery, the way Stripe redelivers; the final check compares the
/// acknowledged events with the jobs, session by session.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, string> _sessionOf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BenchEvent> _owed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _foundUnrecorded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _otherJob = new(StringComparer.Ordinal);
    private readonly List<BenchEvent> _redeliverable = [];
    private readonly List<BenchEvent> _withoutSecond = [];
    private readonly List<BenchEvent> _seconds = [];
    private readonly Lock _lock = new();

    public IReadOnlyCollection<string> AcknowledgedIds => [.. _acknowledged.Keys];

    public IReadOnlyCollection<BenchEvent> Owed => [.. _owed.Values];

    /// <summary>Every event id sent, with its checkout session.</summary>
    public IReadOnlyDictionary<string, string> SessionOf => _sessionOf;

    /// <summary>Acknowledged events that a later delivery found not recorded (answered 200 without <c>duplicate</c>).</summary>
    public IReadOnlyCollection<string> FoundUnrecorded => [.. _foundUnrecorded.Keys];

    /// <summary>Second Event objects whose receipt did not name their session's job.</summary>
    public int AnsweredWithOtherJob => _otherJob.Count;

    /// <summary>The second Event objects acknowledged so far.</summary>
    public IReadOnlyList<BenchEvent> AcknowledgedSeconds
    {
        get
        {
            lock (_lock)
            {
                return [.. _seconds];
            }
        }
    }

    public bool IsAcknowledged(string id) => _acknowledged.ContainsKey(id);

    public void Sent(BenchEvent e) => _sessionOf.TryAdd(e.Id, e.SessionId);

    /// <summary>Records an answer; true when it is the event's first acknowledgement.</summary>
    public bool Record(BenchEvent e, bool acknowledged, DateTimeOffset at)
    {
        if (!acknowledged)
        {
            if (!_acknowledged.ContainsKey(e.Id))
            {
                _owed.TryAdd(e.Id, e);
            }

            return false;
        }

        _owed.TryRemove(e.Id, out _);
        if (!_acknowledged.TryAdd(e.Id, at))
        {
            return false;
        }

        lock (_lock)
        {
            _redeliverable.Add(e);
            (e.Second ? _seconds : _withoutSecond).Add(e);
        }

        return true;
    }

    public void RecordUnrecorded(BenchEvent e) => _foundUnrecorded.TryAdd(e.Id, 0);

    public void RecordOtherJob(BenchEvent e) => _otherJob.TryAdd(e.Id, 0);

    /// <summary>An event already acknowledged, to deliver again (Stripe delivers some events more than once).</summary>
    public BenchEvent? AnyAcknowledged()
    {
        lock (_lock)
        {
            return _redeliverable.Count == 0 ? null : _redeliverable[Random.Shared.Next(_redeliverable.Count)];
        }
    }

    /// <summary>
    /// The acknowledged first event of a session that has no second Event object yet, taken so that no session gets two.
    /// </summary>
    public BenchEvent? TakeForSecond()
    {
        lock (_lock)
        {
            if (_withoutSecond.Count == 0)
            {
                return null;
            }

            var i = Random.Shared.Next(_withoutSecond.Count);
            var first = _withoutSecond[i];
            _withoutSecond[i] = _withoutSecond[^1];
            _withoutSecond.RemoveAt(_withoutSecond.Count - 1);
            return first;
        }
    }
}
