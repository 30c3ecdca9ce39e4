using System.Collections.Concurrent;

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

/// <summary>The deliveries of one phase: their answers and latencies.</summary>
public sealed class PhaseResult(string name, TimeSpan duration)
{
    private readonly ConcurrentQueue<double> _latencies = new();
    private readonly int[] _answers = new int[Enum.GetValues<Answer>().Length];

    public string Name { get; } = name;

    public TimeSpan Duration { get; set; } = duration;

    public int Count(Answer answer) => Volatile.Read(ref _answers[(int)answer]);

    public int Total => _answers.Sum();

    public double AcknowledgedPerSecond => Count(Answer.Acknowledged) / Duration.TotalSeconds;

    public void Add(Answer answer, TimeSpan latency)
    {
        Interlocked.Increment(ref _answers[(int)answer]);
        _latencies.Enqueue(latency.TotalMilliseconds);
    }

    public Percentiles Latency() => Percentiles.Of(_latencies);
}

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
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
