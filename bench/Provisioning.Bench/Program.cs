using System.Diagnostics;
using System.Globalization;
using Provisioning.Bench;

// The ingest benchmark: bench/run.sh's header says what it measures. bench/run.sh starts the system and runs this against it.
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
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

var inv = CultureInfo.InvariantCulture;
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
{
    BaseAddress = settings.Gateway,
    Timeout = TimeSpan.FromSeconds(30),
};
await using var jobs = new JobsTable(settings.ConnectionString);
var ledger = new Ledger();
var events = new CheckoutEvents(settings.WebhookSecret);
var load = new WebhookLoad(new WebhookSender(http, events), events, ledger, settings.Mix);
var watch = new DispatchWatch(http, settings.Simulator, settings.SimulatorToken, jobs);
var seconds = settings.PhaseDuration;
var drain = settings.DrainLimit;
var senders = settings.Concurrency;
var mix = string.Create(inv, $"{settings.Mix.Redeliveries:P0} redeliveries, {settings.Mix.SecondEvents:P0} second events");
var run = Stopwatch.StartNew();
Console.WriteLine(string.Create(inv,
    $"settings: phases {seconds.TotalSeconds:0} s, warm-up at most {settings.WarmUpDuration.TotalSeconds:0} s, {senders} senders, burst {settings.BurstCheckouts} checkouts, waits for dispatches at most {drain.TotalSeconds:0} s; {mix}"));

// The floor: the same traffic to a receiver that only checks, reads and inserts each webhook (FloorReceiver), the most a
// receiver that writes each webhook in a transaction of its own before it answers takes on this machine.
Console.WriteLine($"floor: webhooks ({mix}) to a receiver that only checks their signature and inserts them, {senders} senders, {seconds.TotalSeconds:0} s after 10 s of warm-up");
var (floor, floorCost) = await FloorAsync();
Console.WriteLine($"  {floor.AcknowledgedPerSecond:0} webhooks/s");

// Warm-up: load until the services' background JIT is nearly idle (at least 20 s, at most the warm-up setting), so that
// the measured phases see compiled, optimized code; then until the warm-up's checkouts are dispatched, so that the first
// measured phase starts with no backlog.
var warmUp = Stopwatch.StartNew();
var warmUpCheckouts = new List<string>();
var jit = JitActivity.Start();
var jitLastStep = TimeSpan.Zero;
do
{
    warmUpCheckouts.AddRange((await load.ClosedLoopAsync("warm-up", senders, TimeSpan.FromSeconds(10))).CheckoutsInOrder);
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
await SettleAsync("the warm-up", warmUpCheckouts);

Console.WriteLine($"ack: webhooks ({mix}), {senders} senders, {seconds.TotalSeconds:0} s; then until their checkouts are dispatched (at most {drain.TotalSeconds:0} s)");
var ackMeter = await PhaseCost.StartAsync(settings.ConnectionString);
var ack = await load.ClosedLoopAsync("ack", senders, seconds);
var (ackDispatches, ackCost) = await DispatchedAsync(ack, ackMeter);
var ackEnd = EndToEnd.Of(ack, ackDispatches);
Console.WriteLine(string.Create(inv,
    $"  {ack.AcknowledgedPerSecond:0} webhooks/s acknowledged; {ackEnd.Checkouts - ackEnd.NotDispatched} of {ackEnd.Checkouts} checkouts dispatched, the last {ackEnd.Span.TotalSeconds:0.0} s after the first send"));

// What the system spends with no webhook arriving: background work that the phases below pay for.
var idleMeter = await PhaseCost.StartAsync(settings.ConnectionString);
await Task.Delay(TimeSpan.FromSeconds(5));
var idleCost = await idleMeter.StopAsync();

var (at20, at20Cost, at20Dispatches) = await ConstantRateAsync(20);
var paidToDispatched = EndToEnd.PaidToDispatched(at20, at20Dispatches);
var (at100, at100Cost, _) = await ConstantRateAsync(100);

Console.WriteLine($"burst: {settings.BurstCheckouts} checkouts ({mix}), {senders} senders, as fast as answered; then until they are dispatched (at most {drain.TotalSeconds:0} s each)");
var burstMeter = await PhaseCost.StartAsync(settings.ConnectionString);
var burst = await load.BurstAsync("burst", settings.BurstCheckouts, senders, drain);
var (burstDispatches, burstCost) = await DispatchedAsync(burst, burstMeter);
var burstEnd = EndToEnd.Of(burst, burstDispatches);
var burstSeconds = burstEnd.Checkouts == settings.BurstCheckouts && burstEnd.NotDispatched == 0 ? burstEnd.Span.TotalSeconds : double.NaN;
Console.WriteLine(string.Create(inv,
    $"  {burstEnd.Checkouts} checkouts acknowledged in {burst.Duration.TotalSeconds:0.0} s; {burstEnd.Checkouts - burstEnd.NotDispatched} dispatched, the last {burstEnd.Span.TotalSeconds:0.0} s after the first send"));

// The check: what is still owed is delivered until acknowledged, as Stripe would; every second event is delivered once
// more, as its record is nothing the benchmark can read; then every acknowledged checkout must have exactly one job.
Console.WriteLine("check: owed events delivered again, second events delivered again, then waiting for every acknowledged checkout's job");
var owed = await load.RedeliverOwedAsync(TimeSpan.FromMinutes(2));
var secondsAgain = await load.RedeliverAsync("second events again", ledger.AcknowledgedSeconds, TimeSpan.FromMinutes(1));
var withoutJob = await Checker.UntilEveryCheckoutHasAJobAsync(jobs, ledger, drain);
var verdict = await Checker.CheckAsync(jobs, ledger, await SimulatorLog.DispatchesAsync(http, settings.Simulator, settings.SimulatorToken));

Console.WriteLine();
Console.WriteLine("| phase | deliveries | 2xx | 429/503 + Retry-After (reason) | other | timed out | failed | given up | 2xx per s | ack p50 ms | p95 ms | p99 ms | p99.9 ms | max ms |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var phase in new[] { floor, ack, at20, at100, burst, owed, secondsAgain })
{
    var l = phase.Latency();
    var shed = phase.Count(Answer.Shed) == 0 ? "0" : $"{phase.Count(Answer.Shed)} ({phase.ShedReasons})";
    Console.WriteLine(string.Create(inv,
        $"| {phase.Name} | {phase.Total} | {phase.Count(Answer.Acknowledged)} | {shed} | {phase.Count(Answer.Other)} | {phase.Count(Answer.TimedOut)} | {phase.Count(Answer.Failed)} | {phase.GivenUp} | {phase.AcknowledgedPerSecond:0} | {l.P50:0.0} | {l.P95:0.0} | {l.P99:0.0} | {l.P999:0.0} | {l.Max:0.0} |"));
}

Console.WriteLine();
var floorRate = floor.AcknowledgedPerSecond;
var ackRate = ack.AcknowledgedPerSecond;
var e2eRate = ackEnd.PerSecond;
Console.WriteLine(string.Create(inv, $"floor F (check, read, insert, answer): {floorRate:0} webhooks/s"));
Console.WriteLine(string.Create(inv, $"acknowledged A: {ackRate:0} webhooks/s, {ackRate / floorRate:0.00} of the floor"));
Console.WriteLine(string.Create(inv,
    $"end to end E: {ackEnd.Checkouts} checkouts of the ack phase, from its first send to the last one's dispatch {ackEnd.Span.TotalSeconds:0.0} s: {e2eRate:0} checkouts/s, {e2eRate / floorRate:0.00} of the floor; not dispatched within {drain.TotalSeconds:0} s: {ackEnd.NotDispatched}"));
Console.WriteLine(string.Create(inv,
    $"paid to dispatched at 20/s (planned send to dispatch request received): p50 {paidToDispatched.P50:0.0} ms, p99 {paidToDispatched.P99:0.0} ms, {at20.Checkouts.Count} checkouts"));
Console.WriteLine(string.Create(inv,
    $"burst: {burstEnd.Checkouts} of {settings.BurstCheckouts} checkouts acknowledged, the last dispatched {burstEnd.Span.TotalSeconds:0.0} s after the first send; not dispatched within {drain.TotalSeconds:0} s: {burstEnd.NotDispatched}"));

// What one acknowledged webhook costs: the floor over its phase, the service over each phase through its last dispatch.
(string Name, PhaseResult Phase, PhaseCost Cost)[] service = [("ack phase", ack, ackCost), ("20/s", at20, at20Cost), ("100/s", at100, at100Cost), ("burst", burst, burstCost)];
double Acked(PhaseResult phase) => Math.Max(1, phase.Count(Answer.Acknowledged));
if (floorCost.CpuByKind is not null)
{
    Console.WriteLine($"CPU per acknowledged webhook (floor): {floorCost.CpuPer(Acked(floor), ["receiver", "postgresql", "benchmark", "silos", "gateway", "other"])}");
    var serviceKinds = CpuAccount.Kinds.Where(k => k != "receiver").ToArray();
    foreach (var (name, phase, cost) in service)
    {
        Console.WriteLine($"CPU per acknowledged webhook ({name}, through its last dispatch): {cost.CpuPer(Acked(phase), serviceKinds)}");
    }

    Console.WriteLine(string.Create(inv,
        $"the service's webhook (ack phase) costs {ackCost.MachineBusy / Acked(ack) / (floorCost.MachineBusy / Acked(floor)):0.0} floor webhooks"));
    var idleByKind = string.Join(", ", serviceKinds.Select(k => string.Create(inv, $"{k} {idleCost.CpuByKind![k] / idleCost.Elapsed.TotalSeconds:P0}")));
    Console.WriteLine(string.Create(inv,
        $"idle after the ack phase ({idleCost.Elapsed.TotalSeconds:0} s, no webhooks): machine busy {idleCost.Busy:P0} of {Environment.ProcessorCount} cores ({idleByKind} of one core)"));
}

Console.WriteLine("database work per acknowledged webhook: floor " + floorCost.DatabasePer(Acked(floor))
    + string.Concat(service.Select(s => $"; {s.Name} {s.Cost.DatabasePer(Acked(s.Phase))}")));
Console.WriteLine(
    $"check: {verdict.Acknowledged} events acknowledged ({verdict.Sessions} checkout sessions), {verdict.Jobs} jobs; {verdict.Lost} lost; "
    + $"{verdict.ExtraJobs} jobs beyond one per checkout session, {verdict.ExtraDispatches} dispatches beyond one per job attempt; "
    + $"{withoutJob} acknowledged checkout sessions still without a job after waiting up to {drain.TotalSeconds:0} s; {verdict.Unacknowledged} events never acknowledged; "
    + $"{ledger.AnsweredWithOtherJob} second events whose receipt named another job; {verdict.JobsWithoutAck} jobs of unacknowledged events");

Console.WriteLine(string.Create(inv, $"run: {run.Elapsed.TotalSeconds:0} s"));
Console.WriteLine(string.Create(inv,
    $"ack_rps={ackRate:0} floor_rps={floorRate:0} ack_vs_floor={ackRate / floorRate:0.00} e2e_rps={e2eRate:0} e2e_vs_floor={e2eRate / floorRate:0.00} ack_p99_ms_20={at20.Latency().P99:0.0} ack_p99_ms_100={at100.Latency().P99:0.0} dispatch_p50_ms={paidToDispatched.P50:0.0} dispatch_p99_ms={paidToDispatched.P99:0.0} burst_10k_s={burstSeconds:0.0} lost={verdict.Lost} dup_jobs={verdict.DuplicateJobs}"));
return verdict.Lost == 0 && verdict.DuplicateJobs == 0 ? 0 : 1;

// A warm-up of 10 s, then the phase, against a floor receiver of its own, which is stopped and its table dropped after.
async Task<(PhaseResult Phase, PhaseCost Cost)> FloorAsync()
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
        var floorLoad = new WebhookLoad(new WebhookSender(floorHttp, events), events, new Ledger(), settings.Mix);
        await floorLoad.ClosedLoopAsync("floor warm-up", senders, TimeSpan.FromSeconds(10));
        var meter = await PhaseCost.StartAsync(settings.ConnectionString);
        var phase = await floorLoad.ClosedLoopAsync("floor", senders, seconds);
        return (phase, await meter.StopAsync());
    }
    finally
    {
        receiver.Kill();
        await receiver.WaitForExitAsync();
        await FloorReceiver.DropAsync(settings.ConnectionString);
    }
}

// A constant rate for the phase's time, then until its checkouts are dispatched, so that the next phase starts with no backlog.
async Task<(PhaseResult Phase, PhaseCost Cost, IReadOnlyList<DispatchRequest> Dispatches)> ConstantRateAsync(double rate)
{
    Console.WriteLine(string.Create(inv, $"{rate}/s: webhooks ({mix}) at a constant rate, {seconds.TotalSeconds:0} s; then until their checkouts are dispatched"));
    var meter = await PhaseCost.StartAsync(settings.ConnectionString);
    var phase = await load.OpenLoopAsync(string.Create(inv, $"{rate}/s"), rate, seconds, retryFor: TimeSpan.FromSeconds(60));
    var (dispatches, cost) = await DispatchedAsync(phase, meter);
    var end = EndToEnd.Of(phase, dispatches);
    Console.WriteLine(string.Create(inv,
        $"  ack p50 {phase.Latency().P50:0.0} ms, p99 {phase.Latency().P99:0.0} ms; {end.Checkouts - end.NotDispatched} of {end.Checkouts} checkouts dispatched"));
    return (phase, cost, dispatches);
}

// Waits until the checkouts a phase left queued are dispatched, and says how long that took.
async Task SettleAsync(string phase, IReadOnlyList<string> checkouts)
{
    var started = Stopwatch.StartNew();
    var deadline = DateTimeOffset.UtcNow + drain;
    await watch.UntilPastDispatchAsync(checkouts, deadline);
    var dispatched = SimulatorLog.FirstDispatches(await watch.UntilLoggedAsync(checkouts, deadline));
    var missing = checkouts.Count(id => !dispatched.ContainsKey(id));
    Console.WriteLine(missing == 0
        ? string.Create(inv, $"  settled: the {checkouts.Count} checkouts of {phase} dispatched {started.Elapsed.TotalSeconds:0.0} s after it")
        : string.Create(inv, $"  not settled: {missing} of the {checkouts.Count} checkouts of {phase} not dispatched {drain.TotalSeconds:0} s after it"));
}

// Waits until a phase's checkouts are dispatched. The phase's cost is taken before the simulator's large log is read, so
// that it holds the phase's work and not the benchmark's reading.
async Task<(IReadOnlyList<DispatchRequest> Dispatches, PhaseCost Cost)> DispatchedAsync(PhaseResult phase, PhaseCost.Meter meter)
{
    var deadline = DateTimeOffset.UtcNow + drain;
    await watch.UntilPastDispatchAsync(phase.CheckoutsInOrder, deadline);
    var cost = await meter.StopAsync();
    return (await watch.UntilLoggedAsync(phase.CheckoutsInOrder, deadline), cost);
}
