namespace Provisioning.StripeSimulator.Api;

/// <summary>
/// Faults the API answers with instead of serving a request: 429 (with <c>Retry-After</c>) or 500, each for the next
/// <see cref="ApiFault.Times"/> requests (0: until cleared), in the order queued.
/// </summary>
public sealed class ApiFaults
{
    private readonly Lock _lock = new();
    private readonly List<ApiFault> _queue = [];
    private readonly Dictionary<ApiFault, int> _used = new(ReferenceEqualityComparer.Instance);

    public void Add(ApiFault fault)
    {
        lock (_lock)
        {
            _queue.Add(fault);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _queue.Clear();
            _used.Clear();
        }
    }

    public IReadOnlyList<ApiFault> Pending()
    {
        lock (_lock)
        {
            return [.. _queue];
        }
    }

    /// <summary>The fault this request meets, if any; a counted fault is used up by it.</summary>
    public ApiFault? Take()
    {
        lock (_lock)
        {
            if (_queue.Count == 0)
            {
                return null;
            }

            var fault = _queue[0];
            if (fault.Times > 0)
            {
                var used = _used.GetValueOrDefault(fault) + 1;
                _used[fault] = used;
                if (used >= fault.Times)
                {
                    _queue.RemoveAt(0);
                    _used.Remove(fault);
                }
            }

            return fault;
        }
    }
}

/// <summary>A fault: <see cref="Status"/> 429 or 500; <see cref="RetryAfterSeconds"/> for a 429's <c>Retry-After</c>.</summary>
public sealed record ApiFault(int Status, int Times, int RetryAfterSeconds);
