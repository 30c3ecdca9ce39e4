#!/usr/bin/env bash
# Writes the secrets of the local system to the given env file once; later runs keep them.
set -euo pipefail
file="$1"
[ -f "$file" ] && exit 0
mkdir -p "$(dirname "$file")"
rand_b64() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
umask 077
cat >"$file" <<ENV
# Secrets of the local system, made by ./run.sh. Local tools (tests, CLI) read them from here.
Stripe__WebhookSecrets__0=whsec_$(rand_b64)
Callbacks__Secrets__0=whsec_$(rand_b64)
Operator__ApiKeys__0=op_$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')
ENV
