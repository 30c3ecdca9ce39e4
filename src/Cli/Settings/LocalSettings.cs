namespace Provisioning.Cli.Settings;

/// <summary>
/// Where the CLI finds the local system's secrets: environment variables first, then the env file <c>./run.sh</c> writes
/// (<c>.local/dev.env</c>, looked for in the current folder and its parents, or the file <c>--env-file</c> /
/// <c>PROVISIONING_ENV_FILE</c> names). Options given on the command line win over both.
/// </summary>
public sealed class LocalSettings
{
    public const string EnvFileVariable = "PROVISIONING_ENV_FILE";

    private static readonly string DefaultEnvFile = Path.Combine(".local", "dev.env");

    private readonly IReadOnlyList<KeyValuePair<string, string>> _file;

    private LocalSettings(string? filePath, IReadOnlyList<KeyValuePair<string, string>> file)
    {
        FilePath = filePath;
        _file = file;
    }

    /// <summary>The env file read, or null when none was found.</summary>
    public string? FilePath { get; }

    /// <summary>
    /// Reads the env file <paramref name="envFile"/> (or <c>PROVISIONING_ENV_FILE</c>, which must then exist), else
    /// <c>.local/dev.env</c> in the current folder or the nearest parent that has one (none is fine).
    /// </summary>
    public static LocalSettings Load(string? envFile)
    {
        var named = !string.IsNullOrWhiteSpace(envFile) ? envFile : Variable(EnvFileVariable);
        string? path;
        if (named is not null)
        {
            path = Path.GetFullPath(named);
            if (!File.Exists(path))
            {
                throw CliException.Usage($"the env file {path} does not exist (named by {(envFile is null ? EnvFileVariable : "--env-file")})");
            }
        }
        else
        {
            path = FindUpwards(Directory.GetCurrentDirectory());
        }

        return new LocalSettings(path, path is null ? [] : EnvFile.Read(path));
    }

    /// <summary>The first of <paramref name="names"/> set in the environment, else the first set in the env file.</summary>
    public string? Get(params string[] names)
    {
        foreach (var name in names)
        {
            if (Variable(name) is { } value)
            {
                return value;
            }
        }

        foreach (var name in names)
        {
            if (_file.LastOrDefault(e => e.Key == name).Value is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The value of the first entry whose name starts with <paramref name="prefix"/>: environment first (by name), then the env file (in file order).</summary>
    public string? GetFirstWithPrefix(string prefix)
    {
        var fromEnvironment = Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length)
            .Order(StringComparer.Ordinal)
            .Select(Variable)
            .FirstOrDefault(value => value is not null);
        return fromEnvironment
            ?? _file.FirstOrDefault(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Key.Length > prefix.Length && e.Value.Length > 0).Value;
    }

    /// <summary>Where a value can be set, for error messages: "--option, VARIABLE or .local/dev.env".</summary>
    public string Sources(string option, string variable) =>
        $"{option}, the environment variable {variable}, or {(FilePath is null ? "the file .local/dev.env that ./run.sh writes" : FilePath)}";

    private static string? FindUpwards(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultEnvFile);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
