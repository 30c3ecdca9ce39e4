#!/usr/bin/env bash
# The scale benchmark: what reads, scrapes, idle silos, memory and a silo's failure cost once the service holds many jobs.
#   fill      a private PostgreSQL, migrated, filled in bulk: bench/scale/fill.sql puts SCALE_JOBS jobs in the read model
#             (statuses spread as after years of service; SCALE_WAITING of them, the newest, dispatched and waiting for a
#             runner to claim them), their history and a processed inbox row each; then bench/Provisioning.ScaleBench
#             writes every job's grain state and the waiting jobs' reminders (due at their claim deadline) in the formats
#             the silo reads (grain storage serializer, GrainStorageKey hashes, reminder GrainId and uniform hash)
#   start     the whole system through ./run.sh (two silos, the gateway, the GitHub Actions simulator; Release builds):
#             silo_start_s = seconds from starting the silos until the gateway is ready
#   requests  one at a time over loopback, SCALE_REQUESTS each after 10 unmeasured: GET /api/jobs first page, by status,
#             by user, by search text (list_p99_ms: the slowest of those p99s), a page 10,000 rows deep by cursor,
#             GET /api/jobs/counts, GET /api/stats for the last hour and week (stats_p99_ms: the slower p99),
#             GET /api/attention, GET /metrics of the gateway
#   dashboard the jobs dashboard in headless Chromium, from navigation until its first page of jobs and the counts show
#   idle      CPU of each silo over SCALE_IDLE_SECONDS without traffic, in % of one core (the mean of the two)
#   memory    GET /api/jobs/{id} for SCALE_READS jobs (32 at a time), each activating its grain; silo_rss_mb = the
#             larger silo's resident memory afterwards
#   failover  SCALE_PROBES jobs whose claim deadline passed get a reminder due now, then silo 2 is killed (kill -9); the
#             survivor loads the reminders of the range it takes over (with two silos, the whole ring) once it has
#             declared silo 2 dead, and fires the probes (a tick re-dispatches the job, which moves its updated_at):
#             reminder_failover_s = from the kill to the last probe's tick
# Prints a table, then last one line:
#   jobs=<n> list_p99_ms=<> deep_page_p99_ms=<> counts_p99_ms=<> stats_p99_ms=<> attention_p99_ms=<> scrape_p99_ms=<> dashboard_ms=<> idle_cpu_pct=<>
#   silo_rss_mb=<> reminder_failover_s=<> silo_start_s=<>
#
#   SCALE_JOBS            jobs to generate (default 1000000; at least 20000)
#   SCALE_WAITING         of them, dispatched and waiting for a claim, with their reminders (default SCALE_JOBS / 10)
#   SCALE_REQUESTS        requests per measured endpoint (default 200)
#   SCALE_IDLE_SECONDS    the idle window (default 300)
#   SCALE_READS           jobs read through their grains (default 200000, at most SCALE_JOBS)
#   SCALE_PROBES          reminders of the failover measurement (default 1000)
#   SCALE_CLAIM_TIMEOUT   Jobs:ClaimTimeout of the system under test (default 02:00:00: no waiting job's deadline passes
#                         during the run, as with runners that are busy but alive)
# Ports: run.sh's (gateway 5080, silos 5081-5082, 11111-11112, 30000-30001, simulator 5090): stop ./run.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/postgres.sh

jobs="${SCALE_JOBS:-1000000}"
waiting="${SCALE_WAITING:-$((jobs / 10))}"
requests="${SCALE_REQUESTS:-200}"
idle="${SCALE_IDLE_SECONDS:-300}"
reads="${SCALE_READS:-200000}"
[ "$reads" -le "$jobs" ] || reads="$jobs"
probes="${SCALE_PROBES:-1000}"
claim_timeout="${SCALE_CLAIM_TIMEOUT:-02:00:00}"
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
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')"
pg_up "$work/pgdata" "$port" "$password"
export PGPASSWORD="$password"
psql_db() { psql -h 127.0.0.1 -p "$port" -U postgres -d provisioning_scale -v ON_ERROR_STOP=1 "$@"; }
psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE provisioning_scale" >/dev/null
connection="Host=127.0.0.1;Port=$port;Database=provisioning_scale;Username=postgres;Password=$password"
export ConnectionStrings__Provisioning="$connection"
tool() { dotnet "$root/bench/Provisioning.ScaleBench/bin/Release/net10.0/Provisioning.ScaleBench.dll" "$@"; }

echo "building (Release) and migrating"
dotnet build Provisioning.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet src/Migrator/bin/Release/net10.0/Provisioning.Migrator.dll >/dev/null

echo "filling: $jobs jobs ($waiting waiting for a claim) and $probes probes: read model, history, inbox"
start=$SECONDS
psql_db -q -v jobs="$jobs" -v waiting="$waiting" -v probes="$probes" -f bench/scale/fill.sql >/dev/null
fill_sql_s=$((SECONDS - start)); start=$SECONDS
echo "filling: grain state and reminders"
tool fill-grains --connection-string "$connection" --service-id provisioning --claim-timeout "$claim_timeout"
psql_db -qc "ANALYZE OrleansStorage; ANALYZE OrleansRemindersTable" >/dev/null
fill_grains_s=$((SECONDS - start))
# A running service folds the count and chart changes every few seconds and autovacuum reclaims the folded rows; the bulk
# fill wrote a year of changes at once, so they are folded (the second fold drops the intervals past every window) and
# vacuumed here rather than by the first minutes of the measured system.
psql_db -qc "SELECT job_counts_fold() + job_stats_fold()" -c "SELECT job_stats_fold()" >/dev/null
psql_db -qc "VACUUM ANALYZE job_count_changes, job_stats_changes, job_counts, job_stats" >/dev/null
echo "filled in ${fill_sql_s} s (SQL) + ${fill_grains_s} s (grain state): $(psql_db -tAc "SELECT string_agg(relname || ' ' ||
  pg_size_pretty(pg_total_relation_size(oid)), ', ' ORDER BY relname) FROM pg_class
  WHERE relname IN ('jobs', 'job_history', 'stripe_inbox', 'orleansstorage', 'orleansreminderstable')")"

echo "starting the system (./run.sh, log: $work/run.log)"
export SIMULATOR_PLAYS_RUNS=0 Jobs__ClaimTimeout="$claim_timeout"
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

# A cursor 10,000 rows deep, as the API hands it out: nextCursor followed through 50 pages of 200.
next=""
for _ in $(seq 1 50); do
  next="$(curl -fsS -H "Authorization: Bearer $key" "$base/api/jobs?limit=200${next:+&cursor=$next}" | sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p')"
done
[ -n "$next" ] || { echo "error: no cursor 10,000 rows deep" >&2; exit 1; }
search="$(printf '%s' 31337 | md5sum | cut -c1-10)"

echo "requests ($requests each, one at a time)"
tool time --gateway "$base" --key "$key" --requests "$requests" \
  --path "list_first=/api/jobs" --path "list_failed=/api/jobs?status=failed" --path "list_dispatched=/api/jobs?status=dispatched" \
  --path "list_user=/api/jobs?userId=user_4242" --path "list_search=/api/jobs?q=$search" --path "deep_page=/api/jobs?cursor=$next" \
  --path "counts=/api/jobs/counts" --path "stats_1h=/api/stats?window=1h" --path "stats_7d=/api/stats?window=7d" \
  --path "attention=/api/attention" --path "scrape=/metrics" | tee "$work/times"
tool dashboard --gateway "$base" --key "$key" | tee -a "$work/times"
figure() { awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$work/times"; }
list_p99=$(awk '$1 ~ /^list_/ { print $3 }' "$work/times" | sort -n | tail -1)
stats_p99=$(awk '$1 ~ /^stats_/ { print $3 }' "$work/times" | sort -n | tail -1)

silo_pids="$(pgrep -f "$root/src/Silo/bin/Release/net10.0/Provisioning.Silo.dll" || true)"
[ "$(echo "$silo_pids" | wc -w)" = 2 ] || { echo "error: expected two silo processes, found: $silo_pids" >&2; exit 1; }
ticks() { local t=0 p; for p in $silo_pids; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo $t; }
rss_mb() { local m=0 p r; for p in $silo_pids; do r=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$p/status"); [ "$r" -gt "$m" ] && m=$r; done; echo $m; }
echo "idle for ${idle} s (silo RSS before: $(rss_mb) MB)"
t0=$(ticks); sleep "$idle"; t1=$(ticks)
idle_cpu=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v s="$idle" 'BEGIN { printf "%.2f", 100 * d / hz / s / 2 }')

echo "reading $reads jobs through their grains"
tool read-grains --gateway "$base" --key "$key" --count "$reads" --concurrency 32
rss=$(rss_mb)

echo "failover: $probes reminders due now, then kill -9 of silo 2"
tool probe-reminders --connection-string "$connection" --service-id provisioning
victim=""
for p in $silo_pids; do grep -qa 'Orleans__SiloName=local-silo-2' "/proc/$p/environ" && victim=$p; done
[ -n "$victim" ] || { echo "error: silo 2 not found" >&2; exit 1; }
killed_at="$(psql_db -tAc "SELECT now()")"
kill -9 "$victim"
# Wait until the probes' ticks stop coming: none for 30 s after the first, or 300 s in all.
last=-1; quiet=0
for _ in $(seq 1 300); do
  sleep 1
  fired=$(psql_db -tAc "SELECT count(*) FROM jobs WHERE job_id LIKE 'evt\\_probe\\_%' AND updated_at > '$killed_at'")
  if [ "$fired" -gt 0 ] && [ "$fired" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
  last=$fired
  [ "$quiet" -lt 30 ] || break
done
read -r first_tick failover < <(psql_db -tAc "SELECT COALESCE(round(extract(epoch FROM min(updated_at) - '$killed_at'::timestamptz)::numeric, 1)::text, 'NaN'),
  COALESCE(round(extract(epoch FROM max(updated_at) - '$killed_at'::timestamptz)::numeric, 1)::text, 'NaN')
  FROM jobs WHERE job_id LIKE 'evt\\_probe\\_%' AND updated_at > '$killed_at'" | tr '|' ' ')
# Silo 1 takes over the whole ring and reloads it, so its own probes fire then too.
echo "probes that ticked after the kill: $last of $probes; first tick after ${first_tick} s, last after ${failover} s"

printf '\n%-20s %10s %10s\n' "" "p50 ms" "p99 ms"
awk '{ printf "%-20s %10s %10s\n", $1, $2, $3 }' "$work/times"
echo "idle CPU per silo ${idle_cpu}% of one core; larger silo RSS after $reads grain reads ${rss} MB"
echo "reminder failover ${failover} s; silos ready ${silo_start_s} s after they started"
echo "jobs=$jobs list_p99_ms=$list_p99 deep_page_p99_ms=$(figure deep_page 3) counts_p99_ms=$(figure counts 3) stats_p99_ms=$stats_p99 attention_p99_ms=$(figure attention 3) scrape_p99_ms=$(figure scrape 3) dashboard_ms=$(figure dashboard 2) idle_cpu_pct=$idle_cpu silo_rss_mb=$rss reminder_failover_s=$failover silo_start_s=$silo_start_s"
