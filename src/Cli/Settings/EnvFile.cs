namespace Provisioning.Cli.Settings;

/// <summary>Reads a <c>KEY=VALUE</c> env file as <c>scripts/dev-secrets.sh</c> writes it: <c>#</c> comments, blank lines, optional quotes.</summary>
public static class EnvFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path)
    {
        var entries = new List<KeyValuePair<string, string>>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            entries.Add(new(line[..equals].Trim(), value));
        }

        return entries;
    }
}
