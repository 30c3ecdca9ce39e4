#!/usr/bin/env bash
# Starts the whole system locally: PostgreSQL (private, under .local/), migrations, two silos and the gateway.
# Prints "ready: <gateway url>" when the gateway is ready; Ctrl-C or SIGTERM stops everything it started.
#
#   GATEWAY_URL                      gateway address (default http://127.0.0.1:5080)
#   ConnectionStrings__Provisioning  use this database instead of starting a private PostgreSQL
#   PGPORT_LOCAL                     port of the private PostgreSQL (default 55432)
#   GitHub__Token (or GITHUB_PAT)    dispatch to GitHub; without it, to the local GitHub Actions simulator
#   SIMULATOR_URL                    the simulator's address (default http://127.0.0.1:5090)
#   SIMULATOR_PLAYS_RUNS             1 (default): the simulator plays each run's callbacks; 0: runs stay queued
#   Stripe__ApiKey (or STRIPE_SECRET_KEY)  reconcile with Stripe's Events API; without it, with the local Stripe simulator
#   STRIPE_SIMULATOR_URL             the Stripe simulator's address (default http://127.0.0.1:5091)
set -euo pipefail
cd "$(dirname "$0")"
root="$(pwd)"
source scripts/postgres.sh

GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:5080}"
PGPORT_LOCAL="${PGPORT_LOCAL:-55432}"
local_dir="$root/.local"
logs="$local_dir/logs"
mkdir -p "$logs"

pids=()
started_pg=""

stop_all() {
  trap - INT TERM EXIT
  echo "stopping..."
  # Gateway first, then the silos (they leave the cluster gracefully on SIGTERM), then PostgreSQL.
  for pid in "${pids[@]+"${pids[@]}"}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$started_pg" ]; then
    pg_down "$started_pg"
  fi
  echo "stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET SDK 10 is required (dotnet not found on PATH)" >&2; exit 1; }

scripts/dev-secrets.sh "$local_dir/dev.env"
set -a; source "$local_dir/dev.env"; set +a

if [ -z "${ConnectionStrings__Provisioning:-}" ]; then
  if ! pg_find_bin >/dev/null; then
    cat >&2 <<'MSG'
error: no database. Either
  - install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql) and run ./run.sh again, or
  - set ConnectionStrings__Provisioning to an existing PostgreSQL database, or
  - run the containerised system: docker compose up (see docker-compose.yml).
MSG
    exit 1
  fi
  # Password authentication (LOCAL_POSTGRES_PASSWORD in .local/dev.env), also on loopback: other users of this machine
  # cannot log in.
  echo "starting PostgreSQL on 127.0.0.1:$PGPORT_LOCAL (data in .local/pgdata)"
  started_pg="$local_dir/pgdata"
  pg_up "$local_dir/pgdata" "$PGPORT_LOCAL" "$LOCAL_POSTGRES_PASSWORD"
  if ! PGPASSWORD="$LOCAL_POSTGRES_PASSWORD" psql -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'provisioning'" | grep -q 1; then
    PGPASSWORD="$LOCAL_POSTGRES_PASSWORD" psql -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -d postgres -qc "CREATE DATABASE provisioning" >/dev/null
  fi
  export ConnectionStrings__Provisioning="Host=127.0.0.1;Port=$PGPORT_LOCAL;Database=provisioning;Username=postgres;Password=$LOCAL_POSTGRES_PASSWORD"
fi
# The cluster's mutual TLS (docs/security.md): a throwaway authority and certificates under .local/certs.
certs="$local_dir/certs"
scripts/cluster-certs.sh "$certs"
export Orleans__Tls__AuthorityPath="$certs/ca.pem" Orleans__Tls__PeerSubjects__0="CN=provisioning-silo"

echo "building..."
dotnet build Provisioning.sln -c Release -nologo -v quiet >"$logs/build.log" 2>&1 || { cat "$logs/build.log" >&2; exit 1; }
bin() { echo "$root/src/$1/bin/Release/net10.0/Provisioning.$1.dll"; }

echo "applying migrations..."
dotnet "$(bin Migrator)"

export Gateway__PublicUrl="${Gateway__PublicUrl:-${NEXT_PUBLIC_APP_URL:-$GATEWAY_URL}}"
# Without a GitHub token the silos dispatch to the GitHub Actions simulator (tools/ActionsSimulator) instead of GitHub.
SIMULATOR_URL="${SIMULATOR_URL:-http://127.0.0.1:5090}"
if [ -z "${GitHub__Token:-}${GITHUB_PAT:-}" ]; then
  # It plays each run's callbacks to the gateway (its Simulator:CallbackUrl stands for the workflow repository's
  # PROVISIONING_CALLBACK_URL variable), signed with the gateway's callback secret. Its token (SIMULATOR_TOKEN in
  # .local/dev.env) is also the key of its control API.
  Simulator__Token="$SIMULATOR_TOKEN" Simulator__Owner=local Simulator__Repo=agents ASPNETCORE_URLS="$SIMULATOR_URL" \
    Simulator__CallbackSecret="$([ "${SIMULATOR_PLAYS_RUNS:-1}" = 0 ] || echo "${Callbacks__Secrets__0:-${GITHUB_CALLBACK_SECRET:-}}")" \
    Simulator__CallbackUrl="${Gateway__PublicUrl%/}/api/webhooks/github" \
    dotnet "$root/tools/ActionsSimulator/bin/Release/net10.0/Provisioning.ActionsSimulator.dll" >"$logs/simulator.log" 2>&1 &
  pids=("$!" "${pids[@]+"${pids[@]}"}")
  export GitHub__Token="$SIMULATOR_TOKEN" GitHub__Owner=local GitHub__Repo=agents GitHub__ApiBaseUrl="$SIMULATOR_URL"
  echo "no GitHub token configured (GitHub__Token or GITHUB_PAT): dispatching to the GitHub Actions simulator at $SIMULATOR_URL (log: .local/logs/simulator.log)"
else
  echo "dispatching to GitHub (${GitHub__ApiBaseUrl:-https://api.github.com/})"
fi

# Without a Stripe API key the silos reconcile with the Stripe API simulator (tools/StripeSimulator), which also delivers
# the checkouts made through it (provisioning trigger checkout --via-stripe-simulator) to the gateway, signed as Stripe does.
STRIPE_SIMULATOR_URL="${STRIPE_SIMULATOR_URL:-http://127.0.0.1:5091}"
if [ -z "${Stripe__ApiKey:-}${STRIPE_SECRET_KEY:-}" ]; then
  StripeSimulator__ApiKey=sk_test_local_simulator StripeSimulator__WebhookEndpointId=we_local_simulator \
    StripeSimulator__WebhookUrl="$GATEWAY_URL/api/webhooks/stripe" \
    StripeSimulator__WebhookSecret="${Stripe__WebhookSecrets__0:-${STRIPE_WEBHOOK_SECRET:-}}" ASPNETCORE_URLS="$STRIPE_SIMULATOR_URL" \
    dotnet "$root/tools/StripeSimulator/bin/Release/net10.0/Provisioning.StripeSimulator.dll" >"$logs/stripe-simulator.log" 2>&1 &
  pids=("$!" "${pids[@]+"${pids[@]}"}")
  export Stripe__ApiKey=sk_test_local_simulator Stripe__ApiBase="$STRIPE_SIMULATOR_URL" Stripe__WebhookEndpointId=we_local_simulator
  export Stripe__ReconcileInterval="${Stripe__ReconcileInterval:-00:01:00}"
  echo "no Stripe API key configured (Stripe__ApiKey or STRIPE_SECRET_KEY): reconciling with the Stripe simulator at $STRIPE_SIMULATOR_URL every ${Stripe__ReconcileInterval} (log: .local/logs/stripe-simulator.log)"
else
  echo "reconciling with Stripe (${Stripe__ApiBase:-https://api.stripe.com}) every ${Stripe__ReconcileInterval:-00:10:00}"
fi

export Orleans__ClusterId="${Orleans__ClusterId:-provisioning-local}"
export Orleans__ServiceId="${Orleans__ServiceId:-provisioning}"
for n in 1 2; do
  Orleans__Tls__CertificatePath="$certs/silo.pem" Orleans__Tls__KeyPath="$certs/silo.key" \
    Orleans__Tls__PeerSubjects__1="CN=provisioning-gateway" \
    Orleans__SiloPort=$((11110 + n)) Orleans__GatewayPort=$((29999 + n)) Orleans__SiloName="local-silo-$n" \
    ASPNETCORE_URLS="http://127.0.0.1:$((5080 + n))" \
    dotnet "$(bin Silo)" >"$logs/silo-$n.log" 2>&1 &
  pids=("$!" "${pids[@]+"${pids[@]}"}")
  echo "silo $n started (log: .local/logs/silo-$n.log)"
done

Orleans__Tls__CertificatePath="$certs/gateway.pem" Orleans__Tls__KeyPath="$certs/gateway.key" ASPNETCORE_URLS="$GATEWAY_URL" \
  dotnet "$(bin Gateway)" >"$logs/gateway.log" 2>&1 &
pids=("$!" "${pids[@]}")
echo "gateway started (log: .local/logs/gateway.log)"

deadline=$((SECONDS + 180))
until curl -fsS "$GATEWAY_URL/readyz" >/dev/null 2>&1; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "error: a process exited early; see .local/logs/" >&2; exit 1; }
  done
  [ $SECONDS -lt $deadline ] || { echo "error: not ready after 180 s; see .local/logs/" >&2; exit 1; }
  sleep 1
done
echo "ready: $GATEWAY_URL"
wait
