using System.Globalization;

namespace Provisioning.Bench;

/// <summary>
/// What a stretch of the run cost: CPU time per process kind and the machine's busy time (Linux only, null elsewhere), and
/// the database's work. A service phase is metered from its first delivery until its checkouts were dispatched, so that it
/// pays for the work its webhooks caused and not only for their answers.
/// </summary>
public sealed record PhaseCost(IReadOnlyDictionary<string, double>? CpuByKind, double MachineBusy, TimeSpan Elapsed, DatabaseActivity Database)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The share of the machine's cores that was busy.</summary>
    public double Busy => MachineBusy / (Elapsed.TotalSeconds * Environment.ProcessorCount);

    /// <summary>The machine's CPU milliseconds per webhook, and each of <paramref name="kinds"/>'.</summary>
    public string CpuPer(double webhooks, IEnumerable<string> kinds) =>
        string.Create(Inv, $"{MachineBusy * 1000 / webhooks:0.00} ms (")
        + string.Join(", ", kinds.Select(k => string.Create(Inv, $"{k} {CpuByKind![k] * 1000 / webhooks:0.00}")))
        + string.Create(Inv, $"); machine busy {Busy:P0} of {Environment.ProcessorCount} cores");

    public string DatabasePer(double webhooks) => string.Create(Inv,
        $"{Database.WriteTransactions / webhooks:0.0} write transactions, {Database.WalBytes / webhooks / 1024:0.0} KB WAL");

    /// <summary>Starts metering; <see cref="Meter.StopAsync"/> answers the cost since.</summary>
    public static async Task<Meter> StartAsync(string connectionString) =>
        new(connectionString, CpuAccount.Start(), await DatabaseActivity.ReadAsync(connectionString));

    public sealed class Meter(string connectionString, CpuAccount? cpu, DatabaseActivity database)
    {
        public async Task<PhaseCost> StopAsync()
        {
            var spent = cpu?.Since();
            var done = (await DatabaseActivity.ReadAsync(connectionString)).Minus(database);
            return new PhaseCost(spent?.ByKind, spent?.MachineBusy ?? 0, spent?.Elapsed ?? TimeSpan.Zero, done);
        }
    }
}
