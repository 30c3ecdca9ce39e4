using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>
/// The pending run behaviours, in the order they were added. A new run takes the first one that matches its job;
/// a behaviour is gone once it has applied <see cref="Behaviour.Times"/> times (never, for 0).
/// </summary>
public sealed class BehaviourQueue
{
    private readonly Lock _lock = new();
    private readonly List<Behaviour> _behaviours = [];
    private long _lastId;

    public BehaviourQueue(IOptions<SimulatorOptions> options)
    {
        foreach (var spec in options.Value.Behaviours)
        {
            Add(spec);
        }
    }

    public Behaviour Add(BehaviourSpec spec)
    {
        lock (_lock)
        {
            var behaviour = spec.ToBehaviour(++_lastId);
            _behaviours.Add(behaviour);
            return behaviour;
        }
    }

    /// <summary>Takes one use of the first behaviour matching the job; null when none matches (the run plays normally).</summary>
    public Behaviour? Take(string? jobId)
    {
        lock (_lock)
        {
            var index = _behaviours.FindIndex(b => b.Matches(jobId));
            if (index < 0)
            {
                return null;
            }

            var behaviour = _behaviours[index];
            if (behaviour.Remaining is not { } remaining)
            {
                return behaviour;
            }

            var taken = behaviour with { Remaining = remaining - 1 };
            if (taken.Remaining == 0)
            {
                _behaviours.RemoveAt(index);
            }
            else
            {
                _behaviours[index] = taken;
            }

            return taken;
        }
    }

    public IReadOnlyList<Behaviour> Pending()
    {
        lock (_lock)
        {
            return [.. _behaviours];
        }
    }

    public bool Remove(long id)
    {
        lock (_lock)
        {
            return _behaviours.RemoveAll(b => b.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _behaviours.Clear();
        }
    }
}
