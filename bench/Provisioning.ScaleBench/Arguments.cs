namespace Provisioning.ScaleBench;

/// <summary>A command and its <c>--name value</c> options.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public string Command { get; private init; } = "";

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments { Command = args.Length > 0 ? args[0] : "" };
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name before '{args[i]}'");
            }

            var name = args[i][2..];
            if (!parsed._values.TryGetValue(name, out var list))
            {
                parsed._values[name] = list = [];
            }

            list.Add(args[i + 1]);
        }

        return parsed;
    }

    public string Get(string name) =>
        _values.TryGetValue(name, out var list) ? list[^1] : throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var list) ? list[^1] : fallback;

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var list) ? int.Parse(list[^1]) : fallback;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];
}
