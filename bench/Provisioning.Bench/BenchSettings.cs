using System.Globalization;

namespace Provisioning.Bench;

/// <summary>What the benchmark runs against and for how long. Read from <c>--name value</c> arguments.</summary>
public sealed record BenchSettings(
    Uri Gateway,
    Uri Simulator,
    string SimulatorToken,
    string ConnectionString,
    string WebhookSecret,
    TimeSpan PhaseDuration,
    TimeSpan WarmUpDuration,
    int Concurrency,
    int BurstCheckouts,
    TimeSpan DrainLimit,
    TrafficMix Mix)
{
    public const string Usage =
        "usage: Provisioning.Bench --gateway URL --simulator URL --simulator-token T --connection-string CS --webhook-secret S [--seconds 20] [--warm-up-seconds 60] [--concurrency 32] [--burst 10000] [--drain-seconds 180] [--redeliveries 0.10] [--second-events 0.05]";

    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        string Required(string name) => values.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new ArgumentException($"--{name} is required");
        double Number(string name, double fallback) => !values.TryGetValue(name, out var value) ? fallback
            : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0 ? number
            : throw new ArgumentException($"--{name} must be a number of at least 0, got '{value}'");

        var mix = new TrafficMix(Number("redeliveries", 0.10), Number("second-events", 0.05));
        if (mix.Redeliveries + mix.SecondEvents > 1)
        {
            throw new ArgumentException("--redeliveries and --second-events together must be at most 1");
        }

        return new BenchSettings(
            new Uri(Required("gateway")),
            new Uri(Required("simulator")),
            Required("simulator-token"),
            Required("connection-string"),
            Required("webhook-secret"),
            TimeSpan.FromSeconds(Number("seconds", 20)),
            TimeSpan.FromSeconds(Number("warm-up-seconds", 60)),
            Math.Max(1, (int)Number("concurrency", 32)),
            (int)Number("burst", 10_000),
            TimeSpan.FromSeconds(Number("drain-seconds", 180)),
            mix);
    }
}
