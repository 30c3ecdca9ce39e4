using System.Globalization;
using Provisioning.Bench;
using PhaseCost = (System.Collections.Generic.IReadOnlyDictionary<string, double> ByKind, double MachineBusy, System.TimeSpan Elapsed);

// The ingest benchmark: see docs/benchmarks.md. bench/run.sh starts the system and runs this against it.
if (args is ["--serve-floor", var floorUrl, "--connection-string", var floorConnection, "--webhook-secret", var floorSecret])
{
    return await FloorReceiver.ServeAsync(floorUrl, floorConnection, floorSecret);
}

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("usage: Provisioning.Bench --gateway URL --simulator URL --connection-string CS --webhook-secret S [--seconds 20] [--overload-seconds 10] [--warm-up-seconds 20] [--concurrency 32] [--duplicates 0.1] [--dispatch-samples 200]");
    return 2;
}

var inv = CultureInfo.InvariantCulture;
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
{
    BaseAddress = settings.Gateway,
    Timeout = TimeSpan.FromSeconds(30),
};
var ledger = new Ledger();
var events = new CheckoutEvents(settings.WebhookSecret);
var load = new WebhookLoad(http, events, ledger, settings.DuplicateShare);
var seconds = settings.PhaseDuration;

Console.WriteLine($"baseline: raw 2 KB inserts, {settings.Concurrency} connections, {seconds.TotalSeconds:0} s");
var baselineCpu = CpuAccount.Start();
var baselineDb = await DatabaseActivity.ReadAsync(settings.ConnectionString);
var (rawTps, synchronousCommit) = await RawInsertBaseline.RunAsync(settings.ConnectionString, settings.Concurrency, seconds);
var baselineCost = baselineCpu?.Since();
baselineDb = (await DatabaseActivity.ReadAsync(settings.ConnectionString)).Minus(baselineDb);
Console.WriteLine($"  {rawTps:0} inserts/s (synchronous_commit={synchronousCommit})");

// The floor: the same webhooks to a receiver that only checks, reads and inserts each (FloorReceiver), the most a
// receiver that writes each webhook in a transaction of its own before it answers takes on this machine.
Console.WriteLine($"floor: webhooks to a receiver that only checks their signature and inserts them, {settings.Concurrency} senders, {seconds.TotalSeconds:0} s");
var floor = await FloorAsync();
Console.WriteLine($"  {floor.Phase.AcknowledgedPerSecond:0} webhooks/s");

// Warm-up: load until the services' background JIT is nearly idle (at least 20 s, at most the warm-up setting), so that
// the measured phases see compiled, optimized code.
var warmUp = System.Diagnostics.Stopwatch.StartNew();
var jit = JitActivity.Start();
var jitLastStep = TimeSpan.Zero;
do
{
    await load.ClosedLoopAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(10));
    if (jit is null)
    {
        continue;
    }

    (jitLastStep, jit) = jit.Since();
    if (warmUp.Elapsed >= TimeSpan.FromSeconds(20) && jitLastStep < TimeSpan.FromSeconds(0.1))
    {
        break;
    }
}
while (warmUp.Elapsed < settings.WarmUpDuration);
Console.WriteLine(string.Create(inv, $"warm-up: {warmUp.Elapsed.TotalSeconds:0} s; background JIT in its last 10 s: {jitLastStep.TotalSeconds:0.00} s of CPU"));

Console.WriteLine($"path: webhooks, {settings.Concurrency} senders, {seconds.TotalSeconds:0} s, {settings.DuplicateShare:P0} redeliveries");
var pathCpu = CpuAccount.Start();
var pathDb = await DatabaseActivity.ReadAsync(settings.ConnectionString);
var path = await load.ClosedLoopAsync("path", settings.Concurrency, seconds);
var pathCost = pathCpu?.Since();
pathDb = (await DatabaseActivity.ReadAsync(settings.ConnectionString)).Minus(pathDb);
var maxRate = path.AcknowledgedPerSecond;
Console.WriteLine($"  {maxRate:0} webhooks/s");
await SettleAsync("the path phase");

// What the system spends with no webhook arriving, after the path phase: background work that the phases below pay for.
var idleCpu = CpuAccount.Start();
await Task.Delay(TimeSpan.FromSeconds(5));
var idleCost = idleCpu?.Since();

Console.WriteLine($"half load: {maxRate / 2:0} webhooks/s at a constant rate, {seconds.TotalSeconds:0} s");
var halfCpu = CpuAccount.Start();
var halfDb = await DatabaseActivity.ReadAsync(settings.ConnectionString);
var half = await load.OpenLoopAsync("half load", maxRate / 2, seconds);
var halfCost = halfCpu?.Since();
halfDb = (await DatabaseActivity.ReadAsync(settings.ConnectionString)).Minus(halfDb);

Console.WriteLine($"paid to dispatched: {settings.DispatchSamples} checkouts at 20/s");
var sentAt = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
var noRedeliveries = new WebhookLoad(http, events, ledger, 0);
var dispatchPhase = await noRedeliveries.OpenLoopAsync(
    "dispatch", 20, TimeSpan.FromSeconds(settings.DispatchSamples / 20.0), sent: (e, at) => sentAt.TryAdd(e.Id, at));

Console.WriteLine($"overload: {maxRate * 2:0} webhooks/s for {settings.OverloadDuration.TotalSeconds:0} s");
var overload = await load.OpenLoopAsync("overload", maxRate * 2, settings.OverloadDuration);
var owedAfterOverload = ledger.Owed.Count;
var stillOwed = await load.RedeliverOwedAsync(TimeSpan.FromMinutes(2));
Console.WriteLine($"  {owedAfterOverload} events unacknowledged after the overload; {stillOwed} still unacknowledged after redelivery");

// Wait (with a deadline) for the sampled checkouts' dispatch requests.
var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
IReadOnlyList<DispatchRequest> dispatches;
while (true)
{
    dispatches = await SimulatorLog.DispatchesAsync(http, settings.Simulator);
    var seen = dispatches.Select(d => d.JobId).ToHashSet(StringComparer.Ordinal);
    if (sentAt.Keys.All(seen.Contains) || DateTimeOffset.UtcNow > deadline)
    {
        break;
    }

    await Task.Delay(500);
}

var firstDispatch = dispatches.GroupBy(d => d.JobId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(d => d.ReceivedAt), StringComparer.Ordinal);
var paidToDispatched = Percentiles.Of(sentAt
    .Where(s => firstDispatch.ContainsKey(s.Key))
    .Select(s => (firstDispatch[s.Key] - s.Value).TotalMilliseconds));
var notDispatched = sentAt.Keys.Count(id => !firstDispatch.ContainsKey(id));

var verdict = await Checker.CheckAsync(settings.ConnectionString, ledger, dispatches);

Console.WriteLine();
Console.WriteLine("| phase | deliveries | 2xx | 429/503 + Retry-After | other | timed out | failed | per s (2xx) | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var phase in new[] { path, half, dispatchPhase, overload })
{
    var l = phase.Latency();
    Console.WriteLine(string.Create(inv,
        $"| {phase.Name} | {phase.Total} | {phase.Count(Answer.Acknowledged)} | {phase.Count(Answer.Shed)} | {phase.Count(Answer.Other)} | {phase.Count(Answer.TimedOut)} | {phase.Count(Answer.Failed)} | {phase.AcknowledgedPerSecond:0} | {l.P50:0.0} | {l.P95:0.0} | {l.P99:0.0} | {l.P999:0.0} | {l.Max:0.0} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(inv, $"raw insert baseline: {rawTps:0} per s; ratio webhooks/raw: {maxRate / rawTps:0.00}"));
var floorRate = floor.Phase.AcknowledgedPerSecond;
Console.WriteLine(string.Create(inv,
    $"floor (check, read, insert, answer): {floorRate:0} webhooks/s, ratio floor/raw {floorRate / rawTps:0.00}; the service takes {maxRate / Math.Max(1, floorRate):P0} of the floor's rate; floor latency p50 {floor.Phase.Latency().P50:0.0} ms, p99 {floor.Phase.Latency().P99:0.0} ms"));
var floorHalf = floor.Half.Latency();
var floorHalfBusy = floor.HalfCost is { } fh ? string.Create(inv, $"; machine busy {Busy(fh):P0}") : "";
Console.WriteLine(string.Create(inv,
    $"floor at half its rate ({floorRate / 2:0}/s): p50 {floorHalf.P50:0.0} ms, p99 {floorHalf.P99:0.0} ms, p99.9 {floorHalf.P999:0.0} ms{floorHalfBusy}; CPU per webhook {(floor.HalfCost?.MachineBusy ?? 0) * 1000 / Math.Max(1, floor.Half.Count(Answer.Acknowledged)):0.00} ms"));
Console.WriteLine(string.Create(inv, $"paid to dispatched (webhook sent to dispatch request received): p50 {paidToDispatched.P50:0.0} ms, p99 {paidToDispatched.P99:0.0} ms; not dispatched within 60 s: {notDispatched}"));
// What one raw insert and one acknowledged webhook of the path phase cost.
double rawInserts = Math.Max(1, rawTps * seconds.TotalSeconds);
double pathWebhooks = Math.Max(1, path.Count(Answer.Acknowledged));
if (baselineCost is { } b && pathCost is { } p)
{
    var cores = Environment.ProcessorCount;
    Console.WriteLine(string.Create(inv,
        $"CPU per raw insert: {b.MachineBusy * 1000 / rawInserts:0.00} ms; per acknowledged webhook (path): {p.MachineBusy * 1000 / pathWebhooks:0.00} ms ({ByKind(p, pathWebhooks, CpuAccount.Kinds)}); machine busy {Busy(p):P0} of {cores} cores during the path phase"));
    if (halfCost is { } h)
    {
        double halfWebhooks = Math.Max(1, half.Count(Answer.Acknowledged));
        Console.WriteLine(string.Create(inv,
            $"CPU per acknowledged webhook (half load): {h.MachineBusy * 1000 / halfWebhooks:0.00} ms ({ByKind(h, halfWebhooks, CpuAccount.Kinds)}); machine busy {Busy(h):P0} of {cores} cores during the half-load phase"));
    }

    if (idleCost is { } i)
    {
        var idleByKind = string.Join(", ", CpuAccount.Kinds.Select(k => string.Create(inv, $"{k} {i.ByKind[k] / i.Elapsed.TotalSeconds:P0}")));
        Console.WriteLine(string.Create(inv,
            $"idle after the path phase ({i.Elapsed.TotalSeconds:0} s, no webhooks): machine busy {Busy(i):P0} of {cores} cores ({idleByKind} of one core)"));
    }

    if (floor.Cost is { } f)
    {
        double floorWebhooks = Math.Max(1, floor.Phase.Count(Answer.Acknowledged));
        Console.WriteLine(string.Create(inv,
            $"CPU per acknowledged webhook (floor): {f.MachineBusy * 1000 / floorWebhooks:0.00} ms ({ByKind(f, floorWebhooks, ["receiver", "postgresql", "benchmark", "silos", "gateway", "other"])}), {f.MachineBusy * 1000 / floorWebhooks / (b.MachineBusy * 1000 / rawInserts):0.0} raw inserts; the service's webhook costs {p.MachineBusy / pathWebhooks / (f.MachineBusy / floorWebhooks):0.0} floor webhooks"));
    }
}

Console.WriteLine(string.Create(inv,
    $"database work per raw insert: {baselineDb.Commits / rawInserts:0.0} commits, {baselineDb.RowsWritten / rawInserts:0.0} rows, {baselineDb.WalBytes / rawInserts / 1024:0.0} KB WAL; per acknowledged webhook (path): {pathDb.Commits / pathWebhooks:0.0} commits, {pathDb.RowsWritten / pathWebhooks:0.0} rows, {pathDb.WalBytes / pathWebhooks / 1024:0.0} KB WAL"));

double halfWebhooksAcknowledged = Math.Max(1, half.Count(Answer.Acknowledged));
Console.WriteLine(string.Create(inv,
    $"database work per acknowledged webhook (half load): {halfDb.Commits / halfWebhooksAcknowledged:0.0} commits, {halfDb.RowsWritten / halfWebhooksAcknowledged:0.0} rows, {halfDb.WalBytes / halfWebhooksAcknowledged / 1024:0.0} KB WAL"));

Console.WriteLine($"check: {verdict.Acknowledged} unique events acknowledged, {verdict.Jobs} jobs, {verdict.Lost} lost, {verdict.Duplicates} duplicate dispatches, {verdict.Unacknowledged} never acknowledged, {verdict.JobsWithoutAck} jobs of unacknowledged events");

var pathLatency = path.Latency();
Console.WriteLine(string.Create(inv,
    $"ingest_rps={maxRate:0} raw_insert_tps={rawTps:0} ratio={maxRate / rawTps:0.00} p99_ms={pathLatency.P99:0.0} half_load_p99_ms={half.Latency().P99:0.0} dispatch_p50_ms={paidToDispatched.P50:0.0} lost={verdict.Lost}"));
return verdict.Lost == 0 && verdict.Duplicates == 0 && verdict.Unacknowledged == 0 ? 0 : 1;

// Each kind's CPU milliseconds per webhook of a phase, for the kinds given.
string ByKind(PhaseCost cost, double webhooks, IEnumerable<string> kinds) =>
    string.Join(", ", kinds.Select(k => string.Create(inv, $"{k} {cost.ByKind[k] * 1000 / webhooks:0.00}")));

// The share of the machine's cores that was busy during a phase.
double Busy(PhaseCost cost) => cost.MachineBusy / (cost.Elapsed.TotalSeconds * Environment.ProcessorCount);

// A warm-up of 10 s, then the phase, against a floor receiver of its own, which is stopped and its table dropped after.
// Then the same at half the floor's rate, as the service's half-load phase is run against its own rate.
async Task<(PhaseResult Phase, PhaseCost? Cost, PhaseResult Half, PhaseCost? HalfCost)> FloorAsync()
{
    const string url = "http://127.0.0.1:5185";
    using var receiver = await FloorReceiver.StartAsync(url, settings.ConnectionString, settings.WebhookSecret);
    try
    {
        using var floorHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var floorLoad = new WebhookLoad(floorHttp, events, new Ledger(), settings.DuplicateShare);
        await floorLoad.ClosedLoopAsync("floor warm-up", settings.Concurrency, TimeSpan.FromSeconds(10));
        var cpu = CpuAccount.Start();
        var phase = await floorLoad.ClosedLoopAsync("floor", settings.Concurrency, seconds);
        var cost = cpu?.Since();
        var halfCpu = CpuAccount.Start();
        var half = await floorLoad.OpenLoopAsync("floor half load", phase.AcknowledgedPerSecond / 2, seconds);
        return (phase, cost, half, halfCpu?.Since());
    }
    finally
    {
        receiver.Kill();
        await receiver.WaitForExitAsync();
        await FloorReceiver.DropAsync(settings.ConnectionString);
    }
}

// The saturating path phase ends with dispatches still queued behind it (as it began with the warm-up's, so its own
// figures stay those of a steady state): the half-load phase starts once they are done, so that it measures its own load
// and not the path phase's backlog.
async Task SettleAsync(string phase)
{
    var started = DateTimeOffset.UtcNow;
    var missing = await SimulatorLog.UntilDispatchedAsync(http, settings.Simulator, ledger.AcknowledgedIds, TimeSpan.FromSeconds(120));
    Console.WriteLine(missing == 0
        ? string.Create(inv, $"  settled: every checkout acknowledged so far was dispatched {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s after {phase}")
        : $"  not settled: {missing} acknowledged checkouts still not dispatched 120 s after {phase}");
}
