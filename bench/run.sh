#!/usr/bin/env bash
# The ingest benchmark. Starts a private PostgreSQL (synchronous_commit on, the default), the whole system on it through
# ./run.sh (two silos, the gateway, the GitHub Actions simulator answering dispatches but playing no run, Release
# builds), runs bench/Provisioning.Bench against it and stops everything.
#
# Traffic: signed checkout.session.completed events, each for a new checkout session and user; 10% of deliveries are
# redeliveries of events already acknowledged, 5% are second Event objects (a new event id, the same session and
# metadata, as Stripe sometimes sends) for a session already acknowledged. A sender that gets 429/503 with Retry-After
# waits that long and delivers the same event again. Phases, in order:
#   floor F     the traffic from BENCH_CONCURRENCY senders (closed loop) to FloorReceiver, a receiver that only checks the
#               signature and inserts each event in a transaction of its own: 10 s of warm-up, then BENCH_SECONDS
#   warm-up     the service under closed-loop load in steps of 10 s until its background JIT is nearly idle (at least
#               20 s, at most BENCH_WARM_UP_SECONDS), then until the warm-up's checkouts are dispatched
#   ack A       BENCH_CONCURRENCY senders for BENCH_SECONDS: webhooks acknowledged per second; then until the phase's
#               checkouts are dispatched (GET /_simulator/requests): E = those checkouts per second from the phase's
#               first send to the last one's first dispatch, so a backlog left behind counts against it
#   idle        5 s without webhooks: the CPU the system spends on background work
#   20/s, 100/s a constant rate for BENCH_SECONDS (open loop: latency from each delivery's planned time, through any
#               Retry-After, to its acknowledgement), each then until its checkouts are dispatched; 20/s also gives paid
#               to dispatched (planned send to the simulator receiving the dispatch)
#   burst       BENCH_BURST new checkouts from BENCH_CONCURRENCY senders as fast as answered, and the seconds from the
#               first send until the last of them is dispatched
#   check       owed events delivered until acknowledged; every acknowledged second event delivered again, whose answer
#               must say duplicate; then, once every acknowledged checkout has a job (at most BENCH_DRAIN_SECONDS):
#               lost = acknowledged events whose checkout session has no job in `jobs`, or that a redelivery found not
#               stored; dup_jobs = jobs beyond one per checkout session + 2xx dispatches beyond one per job attempt
# It prints a table of the phases, CPU time per acknowledged webhook by process and database work per acknowledged
# webhook (write transactions, WAL) of the floor and of each service phase through its last dispatch, and last one line:
#   ack_rps=<A> floor_rps=<F> ack_vs_floor=<A/F> e2e_rps=<E> e2e_vs_floor=<E/F> ack_p99_ms_20=... ack_p99_ms_100=...
#   dispatch_p50_ms=... dispatch_p99_ms=... burst_10k_s=... lost=<n> dup_jobs=<n>
# (NaN for e2e_rps and burst_10k_s when a checkout was not dispatched within BENCH_DRAIN_SECONDS.) The exit code is 1
# when lost or dup_jobs is above 0. With the defaults the benchmark takes four to five minutes once the system has
# started (building and starting it takes one to three); a wait runs to its deadline only when something is not
# dispatched. Figures of past runs: docs/benchmarks.md.
#
#   BENCH_SECONDS           length of the floor, ack, 20/s and 100/s phases (default 20)
#   BENCH_WARM_UP_SECONDS   the longest warm-up of the service (at least 20 s; default 60)
#   BENCH_CONCURRENCY       senders of the floor, ack and burst phases (default 32)
#   BENCH_BURST             new checkouts of the burst (default 10000; burst_10k_s keeps its name)
#   BENCH_DRAIN_SECONDS     the longest wait for a phase's dispatches, and for the check's jobs (default 180)
#   BENCH_SYSTEM_DIR        another checkout of this project whose ./run.sh starts the system under test (to compare
#                           two versions with the same benchmark; default: this checkout)
# Ports: the gateway on 127.0.0.1:5180, the simulator on 127.0.0.1:5190, the floor receiver on 127.0.0.1:5185, the silos on run.sh's ports (stop ./run.sh first).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/postgres.sh

pg_find_bin >/dev/null || { echo "error: PostgreSQL binaries not found (Debian/Ubuntu: apt-get install postgresql)" >&2; exit 1; }
# The system under test takes fixed ports: refuse to start (and say why) when something already listens on one of them,
# typically a ./run.sh left running.
for taken in 5180 5185 5190 11111 11112 30000 30001; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$taken") 2>/dev/null; then
    echo "error: port $taken on 127.0.0.1 is in use (a running ./run.sh uses the silo ports 11111-11112 and 30000-30001); stop it first" >&2
    exit 1
  fi
done
work="$(mktemp -d /tmp/provisioning-bench.XXXXXX)"
chmod 755 "$work"
port=$((20000 + RANDOM % 20000))
run_pid=""

cleanup() {
  if [ -n "$run_pid" ]; then
    kill -TERM "$run_pid" 2>/dev/null || true
    wait "$run_pid" 2>/dev/null || true
  fi
  pg_down "$work/pgdata"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "starting PostgreSQL on 127.0.0.1:$port"
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')"
pg_up "$work/pgdata" "$port" "$password"
export PGPASSWORD="$password"
psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE provisioning_bench" >/dev/null
connection="Host=127.0.0.1;Port=$port;Database=provisioning_bench;Username=postgres;Password=$password;Maximum Pool Size=64"

export ConnectionStrings__Provisioning="$connection"
export GATEWAY_URL=http://127.0.0.1:5180 SIMULATOR_URL=http://127.0.0.1:5190
# The benchmark measures ingestion and dispatch: the simulator answers dispatches but plays no run.
export SIMULATOR_PLAYS_RUNS=0 Simulator__MaxLoggedRequests=5000000
echo "starting the system (${BENCH_SYSTEM_DIR:-.}/run.sh, log: $work/run.log)"
system_dir="${BENCH_SYSTEM_DIR:-$root}"
if [ "$system_dir" != "$root" ]; then
  # The other checkout's run.sh builds that checkout; the benchmark itself is this one's.
  dotnet build bench/Provisioning.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
fi
"$system_dir/run.sh" >"$work/run.log" 2>&1 &
run_pid=$!
deadline=$((SECONDS + 300))
until grep -q '^ready:' "$work/run.log"; do
  if ! kill -0 "$run_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "error: the system did not start:" >&2
    cat "$work/run.log" >&2
    exit 1
  fi
  sleep 1
done

set -a; source "$system_dir/.local/dev.env"; set +a
dotnet "$root/bench/Provisioning.Bench/bin/Release/net10.0/Provisioning.Bench.dll" \
  --gateway "$GATEWAY_URL" --simulator "$SIMULATOR_URL" --simulator-token "${SIMULATOR_TOKEN:-local-simulator}" --connection-string "$connection" \
  --webhook-secret "$Stripe__WebhookSecrets__0" \
  --seconds "${BENCH_SECONDS:-20}" --warm-up-seconds "${BENCH_WARM_UP_SECONDS:-60}" --concurrency "${BENCH_CONCURRENCY:-32}" \
  --burst "${BENCH_BURST:-10000}" --drain-seconds "${BENCH_DRAIN_SECONDS:-180}"
