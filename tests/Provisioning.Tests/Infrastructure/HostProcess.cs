using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// One of the project's programs (silo, gateway, migrator) running as a real, separate process.
/// Its output is kept for assertions and, if the test fails, for reading.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HostProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary><c>PROVISIONING_TEST_LOGS</c>: a directory where every process's output is also written, one file per process.</summary>
    private static string? LogDirectory { get; } = Environment.GetEnvironmentVariable("PROVISIONING_TEST_LOGS") is { Length: > 0 } d
        ? Directory.CreateDirectory(d).FullName
        : null;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts <c>dotnet src/{project}/bin/.../Provisioning.{project}.dll</c> with the given settings as environment variables,
    /// on <paramref name="host"/>'s network namespace when given.
    /// </summary>
    public static HostProcess Start(string project, IReadOnlyDictionary<string, string?> environment, string? name = null, NetworkHost? host = null) =>
        StartAssembly(Repository.ProgramDll(project), environment, name ?? project, host);

    /// <summary>
    /// Starts <c>dotnet {assembly}</c> (a built program anywhere in the repository) with the given settings as environment
    /// variables; on <paramref name="host"/>, through <c>ip netns exec</c>, which execs in place, so the process id is dotnet's.
    /// </summary>
    public static HostProcess StartAssembly(string assembly, IReadOnlyDictionary<string, string?> environment, string name, NetworkHost? host = null)
    {
        var start = new ProcessStartInfo(host is null ? "dotnet" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        if (host is not null)
        {
            foreach (var argument in new[] { "netns", "exec", host.Namespace, "dotnet" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new HostProcess(name, Process.Start(start)!);
    }

    /// <summary>Waits until the process printed a line containing <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        try
        {
            await Eventually.UntilAsync(
                () => Task.FromResult(_output.Any(l => l.Contains(text, StringComparison.Ordinal)) || _process.HasExited),
                timeout, $"'{text}' in the output of {Name}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n--- last output of {Name} ---\n{Tail(40)}", ex);
        }

        if (!_output.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before printing '{text}'\n--- last output ---\n{Tail(40)}");
        }
    }

    /// <summary>The last lines the process printed.</summary>
    public string Tail(int lines) => string.Join('\n', _output.TakeLast(lines));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>A crash: SIGKILL, no chance to leave the cluster or flush anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, SigKill);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>A polite stop: SIGTERM, as a container runtime or Ctrl-C sends it.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, SigTerm);
        }

        return await WaitForExitAsync(timeout);
    }

    /// <summary>Freezes the process (SIGSTOP): it keeps its sockets but answers nothing until <see cref="Resume"/>.</summary>
    public void Pause() => _ = SendSignal(_process.Id, SigStop);

    /// <summary>Lets a paused process run on (SIGCONT).</summary>
    public void Resume() => _ = SendSignal(_process.Id, SigCont);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Resume();
            try
            {
                await TerminateAsync(TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (LogDirectory is { } directory)
        {
            lock (_output)
            {
                File.AppendAllText(Path.Combine(directory, $"{Name}-{_process.Id}.log"), line + "\n");
            }
        }
        while (_output.Count > 5000 && _output.TryDequeue(out _))
        {
        }
    }

    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
