#!/usr/bin/env bash
# Writes the secrets of the local system to the given env file once; later runs keep them. A file made by an older
# version gets the entries it lacks appended (existing values are never changed).
set -euo pipefail
file="$1"
mkdir -p "$(dirname "$file")"
rand_b64() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
rand_token() { head -c 24 /dev/urandom | base64 | tr -d '\n/+='; }
umask 077
[ -f "$file" ] || echo "# Secrets of the local system, made by ./run.sh. Local tools (tests, CLI) read them from here." >"$file"
add() { # add KEY PREFIX VALUE: appends KEY=VALUE unless an entry whose name starts with PREFIX is there
  grep -q "^$2" "$file" || echo "$1=$3" >>"$file"
}
add Stripe__WebhookSecrets__0 Stripe__WebhookSecrets__ "whsec_$(rand_b64)"
add Callbacks__Secrets__0 Callbacks__Secrets__ "whsec_$(rand_b64)"
add Gateway__OperatorKeys__local Gateway__OperatorKeys__ "op_$(rand_token)"
add GitHub__WebhookSecret GitHub__WebhookSecret= "$(rand_token)"
add SIMULATOR_TOKEN SIMULATOR_TOKEN= "sim_$(rand_token)"
add LOCAL_POSTGRES_PASSWORD LOCAL_POSTGRES_PASSWORD= "$(rand_token)"
