#!/usr/bin/env bash
# The scale benchmark: what reads, scrapes and idle silos cost once the service holds many jobs. Starts a private
# PostgreSQL, migrates it, fills it in bulk (bench/scale/fill.sql: SCALE_JOBS jobs in the read model with their history
# and inbox rows, SCALE_WAITING of them dispatched and waiting for a claim), starts the whole system through ./run.sh
# (two silos, the gateway, the GitHub Actions simulator; Release builds) and measures, with curl over loopback:
#   list         GET /api/jobs: the first page, by status, by user, by search text (p50/p99 over SCALE_REQUESTS each)
#   deep page    GET /api/jobs?cursor=... a page 10,000 rows deep
#   counts       GET /api/jobs/counts;   scrape: GET /metrics of the gateway
#   idle CPU     CPU time of each silo over SCALE_IDLE_SECONDS without traffic, in % of one core
#   silo RSS     resident memory of the larger silo after that
#   silo start   seconds from starting the silos until the gateway answers /readyz
# and prints a table, then last one line:
#   jobs=<n> list_p99_ms=<> deep_page_p99_ms=<> counts_p99_ms=<> scrape_p99_ms=<> dashboard_ms=<> idle_cpu_pct=<>
#   silo_rss_mb=<> reminder_failover_s=<> silo_start_s=<>
# dashboard_ms and reminder_failover_s are printed as NaN: this script does not measure them (docs/scale.md).
#
#   SCALE_JOBS            jobs to generate (default 1000000)
#   SCALE_WAITING         of them, dispatched and waiting for a claim (default SCALE_JOBS / 10)
#   SCALE_REQUESTS        requests per measured endpoint (default 200)
#   SCALE_IDLE_SECONDS    the idle window (default 300)
# Ports: run.sh's (gateway 5080, silos 5081-5082, 11111-11112, 30000-30001, simulator 5090): stop ./run.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/postgres.sh

jobs="${SCALE_JOBS:-1000000}"
waiting="${SCALE_WAITING:-$((jobs / 10))}"
requests="${SCALE_REQUESTS:-200}"
idle="${SCALE_IDLE_SECONDS:-300}"
[ "$jobs" -ge 20000 ] || { echo "error: SCALE_JOBS must be at least 20000 (a page 10,000 rows deep is measured)" >&2; exit 1; }
[ "$waiting" -lt "$jobs" ] || { echo "error: SCALE_WAITING must be less than SCALE_JOBS" >&2; exit 1; }
pg_find_bin >/dev/null || { echo "error: PostgreSQL binaries not found (Debian/Ubuntu: apt-get install postgresql)" >&2; exit 1; }
for taken in 5080 5081 5082 5090 11111 11112 30000 30001; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$taken") 2>/dev/null; then
    echo "error: port $taken on 127.0.0.1 is in use (a running ./run.sh?); stop it first" >&2
    exit 1
  fi
done

work="$(mktemp -d /tmp/provisioning-scale.XXXXXX)"
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
psql_db() { psql -h 127.0.0.1 -p "$port" -U postgres -d provisioning_scale -v ON_ERROR_STOP=1 "$@"; }
psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE provisioning_scale" >/dev/null
export ConnectionStrings__Provisioning="Host=127.0.0.1;Port=$port;Database=provisioning_scale;Username=postgres"

echo "building (Release) and migrating"
dotnet build Provisioning.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet src/Migrator/bin/Release/net10.0/Provisioning.Migrator.dll >/dev/null

echo "filling: $jobs jobs ($waiting waiting for a claim), their history and inbox rows"
fill_start=$SECONDS
psql_db -q -v jobs="$jobs" -v waiting="$waiting" -f bench/scale/fill.sql >/dev/null
fill_s=$((SECONDS - fill_start))
sizes="$(psql_db -tAc "SELECT string_agg(relname || ' ' || pg_size_pretty(pg_total_relation_size(oid)), ', ' ORDER BY relname)
  FROM pg_class WHERE relname IN ('jobs', 'job_history', 'stripe_inbox')")"
echo "filled in ${fill_s} s: $sizes"

echo "starting the system (./run.sh, log: $work/run.log)"
export SIMULATOR_PLAYS_RUNS=0
./run.sh >"$work/run.log" 2>&1 &
run_pid=$!
deadline=$((SECONDS + 600))
silos_at=""
until grep -q '^ready:' "$work/run.log"; do
  if [ -z "$silos_at" ] && grep -q '^silo 1 started' "$work/run.log"; then silos_at=$(date +%s.%N); fi
  if ! kill -0 "$run_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "error: the system did not start:" >&2
    cat "$work/run.log" >&2
    exit 1
  fi
  sleep 0.1
done
ready_at=$(date +%s.%N)
silo_start_s=$(awk -v a="$silos_at" -v b="$ready_at" 'BEGIN { printf "%.1f", b - a }')
set -a; source .local/dev.env; set +a
key="${Gateway__OperatorKeys__local:-}"
base=http://127.0.0.1:5080

# Times REQUESTS GETs of a path (after 10 unmeasured ones); prints "p50 p99" in milliseconds. Fails on a non-200.
measure() {
  local path="$1" i code times="$work/times"
  : >"$times"
  for i in $(seq 1 $((requests + 10))); do
    read -r code t < <(curl -sS -o /dev/null -H "Authorization: Bearer $key" -w '%{http_code} %{time_total}\n' "$base$path")
    [ "$code" = 200 ] || { echo "error: GET $path answered $code" >&2; exit 1; }
    [ "$i" -le 10 ] || echo "$t" >>"$times"
  done
  sort -n "$times" | awk '{ v[NR] = $1 * 1000 } END { printf "%.1f %.1f\n", v[int((NR + 1) * 0.5)], v[int(NR * 0.99 + 0.5)] }'
}

# A cursor 10,000 rows deep, as the API hands it out: following nextCursor through 50 pages of 200.
page_cursor=""
next=""
for _ in $(seq 1 50); do
  next="$(curl -sS -H "Authorization: Bearer $key" "$base/api/jobs?limit=200${next:+&cursor=$next}" | sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p')"
done
page_cursor="$next"
[ -n "$page_cursor" ] || { echo "error: no cursor 10,000 rows deep" >&2; exit 1; }

printf '%-28s %10s %10s\n' "request" "p50 ms" "p99 ms"
declare -A p99
for name in first:/api/jobs status:/api/jobs?status=failed waiting:/api/jobs?status=dispatched user:/api/jobs?userId=user_4242 \
            search:/api/jobs?q=agent_$(printf '%s' 31337 | md5sum | cut -c1-10) deep:/api/jobs?cursor=$page_cursor \
            counts:/api/jobs/counts scrape:/metrics; do
  label="${name%%:*}"; path="${name#*:}"
  read -r p50 p99v < <(measure "$path")
  p99[$label]="$p99v"
  printf '%-28s %10s %10s\n' "$label" "$p50" "$p99v"
done
list_p99=$(printf '%s\n' "${p99[first]}" "${p99[status]}" "${p99[waiting]}" "${p99[user]}" "${p99[search]}" | sort -n | tail -1)

silo_pids="$(pgrep -f "$root/src/Silo/bin/Release/net10.0/Provisioning.Silo.dll" || true)"
[ -n "$silo_pids" ] || { echo "error: no silo process found" >&2; exit 1; }
ticks() { local t=0 p; for p in $silo_pids; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo $t; }
echo "idle for ${idle} s"
t0=$(ticks); sleep "$idle"; t1=$(ticks)
silos=$(echo "$silo_pids" | wc -w)
idle_cpu=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v s="$idle" -v n="$silos" 'BEGIN { printf "%.2f", 100 * d / hz / s / n }')
rss=0
for p in $silo_pids; do r=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$p/status"); [ "$r" -gt "$rss" ] && rss=$r; done
echo "idle CPU per silo ${idle_cpu}% of one core; largest silo RSS ${rss} MB; silos ready ${silo_start_s} s after they started"

echo "jobs=$jobs list_p99_ms=$list_p99 deep_page_p99_ms=${p99[deep]} counts_p99_ms=${p99[counts]} scrape_p99_ms=${p99[scrape]} dashboard_ms=NaN idle_cpu_pct=$idle_cpu silo_rss_mb=$rss reminder_failover_s=NaN silo_start_s=$silo_start_s"
