using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator.Faults;

/// <summary>
/// The pending faults, in the order they were added. A dispatch request takes the first one that matches it;
/// a fault is gone once it has applied <see cref="Fault.Times"/> times (never, for 0).
/// </summary>
public sealed class FaultQueue
{
    private readonly Lock _lock = new();
    private readonly List<Fault> _faults = [];
    private long _lastId;

    public FaultQueue(IOptions<SimulatorOptions> options)
    {
        foreach (var spec in options.Value.Faults)
        {
            Add(spec);
        }
    }

    public Fault Add(FaultSpec spec)
    {
        lock (_lock)
        {
            var fault = spec.ToFault(++_lastId);
            _faults.Add(fault);
            return fault;
        }
    }

    /// <summary>Takes one use of the first fault matching the request; null when none matches.</summary>
    public Fault? Take(DispatchFacts request)
    {
        lock (_lock)
        {
            var index = _faults.FindIndex(f => f.Matches(request));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (fault.Remaining is not { } remaining)
            {
                return fault;
            }

            var taken = fault with { Remaining = remaining - 1 };
            if (taken.Remaining == 0)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = taken;
            }

            return taken;
        }
    }

    public IReadOnlyList<Fault> Pending()
    {
        lock (_lock)
        {
            return [.. _faults];
        }
    }

    public bool Remove(long id)
    {
        lock (_lock)
        {
            return _faults.RemoveAll(f => f.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }
}
