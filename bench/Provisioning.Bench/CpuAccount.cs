using System.Globalization;

namespace Provisioning.Bench;

/// <summary>
/// CPU time spent on this machine during a phase, per process kind (the silos, the gateway, the GitHub Actions simulator,
/// PostgreSQL, this benchmark, its floor receiver, everything else), read from Linux's <c>/proc</c>. Divided by the webhooks acknowledged in
/// the phase it gives the CPU cost of one webhook, a figure that moves less between runs than the rate does when the
/// machine is saturated. Elsewhere than on Linux nothing is measured.
/// </summary>
public sealed class CpuAccount
{
    public static readonly string[] Kinds = ["silos", "gateway", "simulator", "postgresql", "benchmark", "receiver", "other"];

    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux architecture .NET runs on.

    private readonly Dictionary<int, (string Kind, long Ticks)> _processes;
    private readonly long _machineBusyTicks;
    private readonly long _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();

    private CpuAccount(Dictionary<int, (string Kind, long Ticks)> processes, long machineBusyTicks)
    {
        _processes = processes;
        _machineBusyTicks = machineBusyTicks;
    }

    /// <summary>A snapshot of every process's CPU time so far, or null when <c>/proc</c> is not there.</summary>
    public static CpuAccount? Start() => OperatingSystem.IsLinux() && File.Exists("/proc/stat") ? Snapshot() : null;

    /// <summary>
    /// CPU seconds per kind since this snapshot, the machine's busy CPU seconds (all processes and the kernel) and the time
    /// that passed.
    /// </summary>
    public (IReadOnlyDictionary<string, double> ByKind, double MachineBusy, TimeSpan Elapsed) Since()
    {
        var now = Snapshot();
        var byKind = Kinds.ToDictionary(k => k, _ => 0.0, StringComparer.Ordinal);
        foreach (var (pid, (kind, ticks)) in now._processes)
        {
            var before = _processes.TryGetValue(pid, out var earlier) ? earlier.Ticks : 0;
            byKind[kind] += (ticks - before) / TicksPerSecond;
        }

        var machineBusy = (now._machineBusyTicks - _machineBusyTicks) / TicksPerSecond;
        // The kernel's own threads and processes that ended during the phase are in the machine total only.
        byKind["other"] += Math.Max(0, machineBusy - byKind.Values.Sum());
        return (byKind, machineBusy, System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt));
    }

    private static CpuAccount Snapshot()
    {
        var self = Environment.ProcessId;
        var processes = new Dictionary<int, (string, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // Fields after the command name (which may hold spaces) start after the last ')': state is field 3,
                // utime and stime are fields 14 and 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                processes[pid] = (KindOf(pid, self, commandLine, stat), ticks);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while being read.
            }
        }

        return new CpuAccount(processes, MachineBusyTicks());
    }

    private static string KindOf(int pid, int self, string commandLine, string stat) =>
        pid == self ? "benchmark"
        : commandLine.Contains("Provisioning.Silo", StringComparison.Ordinal) ? "silos"
        : commandLine.Contains("Provisioning.Gateway", StringComparison.Ordinal) ? "gateway"
        : commandLine.Contains("Provisioning.ActionsSimulator", StringComparison.Ordinal) ? "simulator"
        : stat.Contains("(postgres)", StringComparison.Ordinal) ? "postgresql"
        : commandLine.Contains("--serve-floor", StringComparison.Ordinal) ? "receiver"
        : "other";

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...: busy is everything but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = fields.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return values.Sum() - values[3] - values[4];
    }
}
