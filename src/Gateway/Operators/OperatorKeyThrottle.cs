using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// Bounds the failed operator key attempts from one client address to <see cref="OperatorOptions.KeyFailuresPerMinute"/>
/// per minute, on every endpoint and on the dashboard's sign-in. An attempt is counted before its key is checked and given
/// back only when the key was right, so parallel guesses cannot all be checked; once an address has used its failures,
/// every attempt from it (with any key) is refused until its minute ends.
/// </summary>
public sealed class OperatorKeyThrottle(IOptions<OperatorOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Addresses remembered before expired windows are swept: bounds memory under a spread-out guessing attack.</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Attempts> _byAddress = new(StringComparer.Ordinal);

    /// <summary>Counts an attempt from <paramref name="address"/>; false (with how long to wait) when it has no attempt left.</summary>
    public bool TryBegin(string address, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        if (_byAddress.Count > SweepAbove)
        {
            foreach (var (key, old) in _byAddress.Where(e => now - e.Value.Started >= Window).ToList())
            {
                _byAddress.TryRemove(KeyValuePair.Create(key, old));
            }
        }

        var attempts = _byAddress.GetOrAdd(address, _ => new Attempts(now));
        lock (attempts)
        {
            if (now - attempts.Started >= Window)
            {
                attempts.Started = now;
                attempts.Count = 0;
            }

            if (attempts.Count >= options.Value.KeyFailuresPerMinute)
            {
                retryAfter = attempts.Started + Window - now;
                return false;
            }

            attempts.Count++;
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>The key of the attempt begun from <paramref name="address"/> was right: it does not count as a failure.</summary>
    public void Succeeded(string address)
    {
        if (_byAddress.TryGetValue(address, out var attempts))
        {
            lock (attempts)
            {
                attempts.Count = Math.Max(0, attempts.Count - 1);
            }
        }
    }

    private sealed class Attempts(DateTimeOffset started)
    {
        public DateTimeOffset Started { get; set; } = started;

        public int Count { get; set; }
    }
}
