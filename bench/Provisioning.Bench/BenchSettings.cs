using System.Globalization;

namespace Provisioning.Bench;

/// <summary>What the benchmark runs against and for how long. Read from <c>--name value</c> arguments.</summary>
public sealed record BenchSettings(
    Uri Gateway,
    Uri Simulator,
    string ConnectionString,
    string WebhookSecret,
    TimeSpan PhaseDuration,
    TimeSpan OverloadDuration,
    TimeSpan WarmUpDuration,
    int Concurrency,
    double DuplicateShare,
    int DispatchSamples)
{
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
        double Number(string name, double fallback) => values.TryGetValue(name, out var value)
            ? double.Parse(value, CultureInfo.InvariantCulture)
            : fallback;

        return new BenchSettings(
            new Uri(Required("gateway")),
            new Uri(Required("simulator")),
            Required("connection-string"),
            Required("webhook-secret"),
            TimeSpan.FromSeconds(Number("seconds", 20)),
            TimeSpan.FromSeconds(Number("overload-seconds", 10)),
            TimeSpan.FromSeconds(Number("warm-up-seconds", 180)),
            (int)Number("concurrency", 32),
            Number("duplicates", 0.10),
            (int)Number("dispatch-samples", 200));
    }
}
