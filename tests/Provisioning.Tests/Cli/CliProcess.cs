using System.Diagnostics;
using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Cli;

/// <summary>
/// Runs the built CLI (<c>dotnet src/Cli/bin/.../Provisioning.Cli.dll</c>) as a separate process, the way a person or a script
/// does, in a working folder of the test's choosing and with only the environment the test gives it (the CLI's own
/// variables of the test process are removed, so no secret or address leaks in).
/// </summary>
public static class CliProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The variables (and prefixes) the CLI reads; cleared before each run.</summary>
    private static readonly string[] CliVariables =
    [
        "PROVISIONING_GATEWAY", "PROVISIONING_ENV_FILE", "PROVISIONING_OPERATOR_KEY", "PROVISIONING_CALLBACK_SECRET",
        "STRIPE_WEBHOOK_SECRET", "GITHUB_CALLBACK_SECRET",
    ];

    private static readonly string[] CliPrefixes = ["Stripe__", "Callbacks__", "Gateway__OperatorKeys__"];

    public static string AssemblyPath => Repository.ProgramDll("Cli");

    public static async Task<CliRun> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (CliVariables.Contains(name) || CliPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException(
                $"provisioning {string.Join(' ', args)} did not exit within {(timeout ?? DefaultTimeout).TotalSeconds:0} s\n" +
                $"stdout:\n{await stdout}\nstderr:\n{await stderr}");
        }

        return new CliRun(args, process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>What one run of the CLI did: its exit code and what it printed on each stream.</summary>
public sealed record CliRun(string[] Args, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout as one JSON document (a <c>--json</c> run).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Stdout as JSON lines (<c>jobs watch --json</c>).</summary>
    public IReadOnlyList<JsonElement> JsonLines() =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.Clone();
            })
            .ToList();

    public override string ToString() =>
        $"provisioning {string.Join(' ', Args)} -> exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
