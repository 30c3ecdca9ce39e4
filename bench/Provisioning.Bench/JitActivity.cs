using System.Globalization;

namespace Provisioning.Bench;

/// <summary>
/// The CPU time the services' tiered-compilation threads (.NET's background JIT, which recompiles hot methods into optimized
/// code) have used, read from Linux's <c>/proc</c>. Under load it stays busy for a minute or more after start on two
/// cores; the benchmark warms up until it is nearly idle, so that the measured phases see the services' steady state.
/// The worker thread ends when it runs out of work and a new one starts later, so CPU time is counted per thread.
/// </summary>
public sealed class JitActivity
{
    private const string ThreadName = ".NET Tiered Com"; // "... Tiered Compilation Worker", cut to 15 characters by Linux.

    private readonly Dictionary<string, long> _ticksByThread;

    private JitActivity(Dictionary<string, long> ticksByThread) => _ticksByThread = ticksByThread;

    /// <summary>A snapshot of the tiered-compilation threads' CPU time so far, or null when <c>/proc</c> is not there.</summary>
    public static JitActivity? Start() => OperatingSystem.IsLinux() && Directory.Exists("/proc") ? Snapshot() : null;

    /// <summary>The CPU time those threads used since this snapshot (a thread that ended meanwhile is left out); and a new snapshot.</summary>
    public (TimeSpan Used, JitActivity Now) Since()
    {
        var now = Snapshot();
        var ticks = now._ticksByThread.Sum(t => t.Value - _ticksByThread.GetValueOrDefault(t.Key));
        return (TimeSpan.FromSeconds(ticks / 100.0), now); // USER_HZ
    }

    private static JitActivity Snapshot()
    {
        var ticksByThread = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(process, "cmdline"));
                if (!commandLine.Contains("Provisioning.", StringComparison.Ordinal) || commandLine.Contains("Provisioning.Bench", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var thread in Directory.EnumerateDirectories(Path.Combine(process, "task")))
                {
                    if (File.ReadAllText(Path.Combine(thread, "comm")).StartsWith(ThreadName, StringComparison.Ordinal))
                    {
                        var stat = File.ReadAllText(Path.Combine(thread, "stat"));
                        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                        ticksByThread[thread] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process or thread ended while being read.
            }
        }

        return new JitActivity(ticksByThread);
    }
}
