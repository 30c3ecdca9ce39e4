using System.Collections.Concurrent;
using System.Diagnostics;

namespace Provisioning.Bench;

/// <summary>How a delivery was answered.</summary>
public enum Answer
{
    /// <summary>2xx: the event is durable.</summary>
    Acknowledged,

    /// <summary>429 or 503 with <c>Retry-After</c>: load shed or storage away, deliver again later.</summary>
    Shed,

    /// <summary>Any other status.</summary>
    Other,

    /// <summary>No answer within the client's timeout.</summary>
    TimedOut,

    /// <summary>The connection failed.</summary>
    Failed,
}

/// <summary>
/// One phase: how each delivery was answered, how long each event took until it was acknowledged (from its first
/// delivery, or from its planned time at a constant rate, through any waits for <c>Retry-After</c>), and the new
/// checkouts it got acknowledged, with when each was first sent.
/// </summary>
public sealed class PhaseResult(string name)
{
    private readonly ConcurrentQueue<double> _latencies = new();
    private readonly int[] _answers = new int[Enum.GetValues<Answer>().Length];
    private readonly ConcurrentDictionary<string, int> _shedReasons = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _checkouts = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _givenUp;

    public string Name { get; } = name;

    /// <summary>When the phase began: its first delivery is sent then.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The time since the phase began.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public TimeSpan Duration { get; set; }

    /// <summary>Events the phase stopped delivering before they were acknowledged; they are owed a redelivery.</summary>
    public int GivenUp => Volatile.Read(ref _givenUp);

    /// <summary>The first events of the checkout sessions this phase got acknowledged (their job ids), with when each was first sent.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Checkouts => _checkouts;

    /// <summary>The job ids of <see cref="Checkouts"/>, in the order they were first sent.</summary>
    public IReadOnlyList<string> CheckoutsInOrder => [.. _checkouts.OrderBy(c => c.Value).Select(c => c.Key)];

    public int Count(Answer answer) => Volatile.Read(ref _answers[(int)answer]);

    public int Total => _answers.Sum();

    public double AcknowledgedPerSecond => Count(Answer.Acknowledged) / Duration.TotalSeconds;

    /// <summary>The <c>reason</c> of each load-shedding answer, with how often it came.</summary>
    public string ShedReasons => string.Join(", ", _shedReasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));

    public void Add(Delivered delivered)
    {
        Interlocked.Increment(ref _answers[(int)delivered.Answer]);
        if (delivered.Answer == Answer.Shed)
        {
            _shedReasons.AddOrUpdate(delivered.ShedReason ?? "none", 1, (_, n) => n + 1);
        }
    }

    public void Acknowledged(TimeSpan latency) => _latencies.Enqueue(latency.TotalMilliseconds);

    /// <summary>Records <paramref name="first"/>'s checkout, first sent <paramref name="sentAfter"/> the phase began.</summary>
    public void Checkout(BenchEvent first, TimeSpan sentAfter) => _checkouts.TryAdd(first.Id, StartedAt + sentAfter);

    public void GaveUp() => Interlocked.Increment(ref _givenUp);

    /// <summary>Percentiles of the time from each acknowledged event's first send (or planned time) to its acknowledgement.</summary>
    public Percentiles Latency() => Percentiles.Of(_latencies);
}

/// <summary>Percentiles in milliseconds (nearest rank).</summary>
public sealed record Percentiles(double P50, double P95, double P99, double P999, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(At(0.50), At(0.95), At(0.99), At(0.999), sorted[^1]);
    }
}
