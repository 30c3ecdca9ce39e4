#!/usr/bin/env bash
# The ingest benchmark (docs/benchmarks.md). Starts a private PostgreSQL (synchronous_commit on, the default), the whole
# system on it through ./run.sh (two silos, the gateway, the GitHub Actions simulator, Release builds), runs
# bench/Provisioning.Bench against it and stops everything. Prints a table and, last, one machine-readable line:
#   ingest_rps=... raw_insert_tps=... ratio=... p99_ms=... half_load_p99_ms=... dispatch_p50_ms=... lost=...
#
#   BENCH_SECONDS           length of the baseline, path and half-load phases (default 20)
#   BENCH_OVERLOAD_SECONDS  length of the overload phase (default 10)
#   BENCH_CONCURRENCY       senders of the baseline and path phases (default 32)
#   BENCH_WARM_UP_SECONDS   the longest load before the measured phases: it lasts until the services' background JIT is nearly idle (at least 20 s; default at most 180)
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
pg_up "$work/pgdata" "$port"
psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE provisioning_bench" >/dev/null
connection="Host=127.0.0.1;Port=$port;Database=provisioning_bench;Username=postgres;Maximum Pool Size=64"

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
  --gateway "$GATEWAY_URL" --simulator "$SIMULATOR_URL" --connection-string "$connection" \
  --webhook-secret "$Stripe__WebhookSecrets__0" \
  --seconds "${BENCH_SECONDS:-20}" --overload-seconds "${BENCH_OVERLOAD_SECONDS:-10}" \
  --warm-up-seconds "${BENCH_WARM_UP_SECONDS:-180}" --concurrency "${BENCH_CONCURRENCY:-32}"
