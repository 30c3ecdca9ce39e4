using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>Every callback request the simulated workflows sent, in the order sent, the newest <c>Simulator:MaxLoggedRequests</c>.</summary>
public sealed class CallbackLog(IOptions<SimulatorOptions> options)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<CallbackRecord> _callbacks = new();
    private long _lastSequence;

    /// <summary>Logs a callback as it is sent; returns its sequence number for <see cref="Update"/>.</summary>
    public long Add(Func<long, CallbackRecord> record)
    {
        lock (_lock)
        {
            var entry = record(++_lastSequence);
            _callbacks.AddLast(entry);
            while (_callbacks.Count > options.Value.MaxLoggedRequests)
            {
                _callbacks.RemoveFirst();
            }

            return entry.Sequence;
        }
    }

    /// <summary>Changes a logged callback (its answer); nothing when it has left the log.</summary>
    public void Update(long sequence, Func<CallbackRecord, CallbackRecord> change)
    {
        lock (_lock)
        {
            for (var node = _callbacks.Last; node is not null; node = node.Previous)
            {
                if (node.Value.Sequence == sequence)
                {
                    node.Value = change(node.Value);
                    return;
                }
            }
        }
    }

    /// <summary>The logged callbacks in the order sent; only those of one job when <paramref name="jobId"/> is given.</summary>
    public IReadOnlyList<CallbackRecord> Snapshot(string? jobId = null)
    {
        lock (_lock)
        {
            return [.. _callbacks.Where(c => jobId is null || string.Equals(c.JobId, jobId, StringComparison.Ordinal))];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _callbacks.Clear();
        }
    }
}
