#!/usr/bin/env bash
# Sends one signed callback from the provisioning workflow to the Provisioning service (docs/workflow.md).
#
#   provision-callback.sh EVENT [--message TEXT] [--retryable] [--output JSON] [--field KEY=VALUE]...
#
# EVENT is claim, heartbeat, complete or fail.
#   --message TEXT     a message (for fail: what went wrong); any text, it is JSON-escaped here
#   --retryable        on fail: the service may start a new attempt (default: not retryable)
#   --output JSON      on complete: the output, a JSON object given as is (e.g. '{"endpoint":"https://..."}')
#   --field KEY=VALUE  on complete: one string field of the output, JSON-escaped here; may be repeated and combined
#                      with --output
#
# Reads from the environment:
#   CALLBACK_URL                           the service's callback address (the repository variable PROVISIONING_CALLBACK_URL):
#                                          https, or http to a loopback address (127.x.x.x, [::1], localhost) for local runs
#   JOB_ID, ATTEMPT                        the workflow's inputs job_id and attempt
#   PROVISIONING_CALLBACK_SECRET           the shared secret, whsec_<base64> (Standard Webhooks); never printed
#   GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT,     set by GitHub Actions: the run's id, attempt and web address
#   GITHUB_SERVER_URL, GITHUB_REPOSITORY
#   CALLBACK_TRIES (4), CALLBACK_RETRY_DELAY (2, whole seconds, doubled for each further try), CALLBACK_TIMEOUT (30, seconds)
#
# Signs the JSON body per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of
# "{id}.{timestamp}.{body}">), POSTs it, retries network errors, 429 and 5xx with the same webhook-id, and prints the
# answer's body on stdout (a line about it goes to stderr).
# Exit codes: 0 the service accepted it (2xx); 3 the service answered 409: this run must stop; 2 bad usage or settings;
# 1 anything else (another answer, or no answer after the last try).
# Needs bash 4.2+, curl and openssl (and coreutils' od, tr, mktemp, sleep, as on every runner); no jq.
set -euo pipefail

readonly exit_conflict=3 exit_usage=2 exit_failed=1

say() { printf 'provision-callback: %s\n' "$*" >&2; }
usage() {
  say "$*"
  say "usage: provision-callback.sh claim|heartbeat|complete|fail [--message TEXT] [--retryable] [--output JSON] [--field KEY=VALUE]..."
  exit "$exit_usage"
}

# A JSON string literal for any text: quotes, backslashes and control characters escaped, other bytes as they are.
json_string() {
  local LC_ALL=C
  local text=$1 out='' char i
  for ((i = 0; i < ${#text}; i++)); do
    char=${text:i:1}
    case $char in
      '"') out+='\"' ;;
      '\') out+='\\' ;;
      $'\n') out+='\n' ;;
      $'\r') out+='\r' ;;
      $'\t') out+='\t' ;;
      [$'\x01'-$'\x1f']) printf -v char '\\u%04x' "'$char"; out+=$char ;;
      *) out+=$char ;;
    esac
  done
  printf '"%s"' "$out"
}

# The value of a required environment variable, or a usage error naming it.
required() {
  local name=$1
  [ -n "${!name:-}" ] || usage "$name is not set"
  printf '%s' "${!name}"
}

[ $# -ge 1 ] || usage "an event is required"
event=$1
shift
case $event in
  claim | heartbeat | complete | fail) ;;
  *) usage "unknown event '$event'" ;;
esac

message='' has_message=false retryable=false output='' fields=()
while [ $# -gt 0 ]; do
  case $1 in
    --message) [ $# -ge 2 ] || usage "--message needs a value"; message=$2; has_message=true; shift 2 ;;
    --message=*) message=${1#--message=}; has_message=true; shift ;;
    --retryable) retryable=true; shift ;;
    --output) [ $# -ge 2 ] || usage "--output needs a value"; output=$2; shift 2 ;;
    --output=*) output=${1#--output=}; shift ;;
    --field) [ $# -ge 2 ] || usage "--field needs KEY=VALUE"; fields+=("$2"); shift 2 ;;
    --field=*) fields+=("${1#--field=}"); shift ;;
    *) usage "unknown option '$1'" ;;
  esac
done

callback_url=$(required CALLBACK_URL)
# Signed callbacks go over TLS, or stay on this machine. The authority is matched whole (no user part, no odd characters),
# so that this check and curl read the same host.
[[ $callback_url =~ ^(https?)://([^/?#]*)([/?#].*)?$ ]] || usage "CALLBACK_URL must be an absolute https:// URL"
scheme=${BASH_REMATCH[1]} authority=${BASH_REMATCH[2]}
[[ $authority =~ ^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$ ]] \
  || usage "CALLBACK_URL must name a plain host (and port), without a user part"
host=${BASH_REMATCH[1]}
if [ "$scheme" = http ] && ! [[ $host =~ ^(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|\[::1\]|localhost)$ ]]; then
  usage "CALLBACK_URL must be https:// (plain http only to a loopback address for local runs)"
fi
job_id=$(required JOB_ID)
attempt=$(required ATTEMPT)
secret=$(required PROVISIONING_CALLBACK_SECRET)
[[ $attempt =~ ^[1-9][0-9]*$ ]] || usage "ATTEMPT must be a positive whole number (it is '$attempt')"
run_id=${GITHUB_RUN_ID:-}
run_attempt=${GITHUB_RUN_ATTEMPT:-}
[ -z "$run_id" ] || [[ $run_id =~ ^[0-9]+$ ]] || usage "GITHUB_RUN_ID must be a number (it is '$run_id')"
[ -z "$run_attempt" ] || [[ $run_attempt =~ ^[1-9][0-9]*$ ]] || usage "GITHUB_RUN_ATTEMPT must be a positive number (it is '$run_attempt')"
tries=${CALLBACK_TRIES:-4}
delay=${CALLBACK_RETRY_DELAY:-2}
timeout=${CALLBACK_TIMEOUT:-30}
[[ $tries =~ ^[1-9][0-9]*$ ]] || usage "CALLBACK_TRIES must be a positive whole number"
[[ $delay =~ ^[0-9]+$ ]] || usage "CALLBACK_RETRY_DELAY must be a whole number of seconds"
[[ $timeout =~ ^[1-9][0-9]*$ ]] || usage "CALLBACK_TIMEOUT must be a positive whole number of seconds"

# The output object: --output as given (it must look like an object), then each --field added to it.
if [ -n "$output" ] || [ ${#fields[@]} -gt 0 ]; then
  [ -n "$output" ] || output='{}'
  trimmed=${output#"${output%%[![:space:]]*}"}
  trimmed=${trimmed%"${trimmed##*[![:space:]]}"}
  [[ $trimmed == '{'*'}' ]] || usage "--output must be a JSON object"
  for field in "${fields[@]+"${fields[@]}"}"; do
    [[ $field == ?*=* ]] || usage "--field needs KEY=VALUE (got '$field')"
    entry="$(json_string "${field%%=*}"):$(json_string "${field#*=}")"
    inner=${trimmed%\}}
    if [[ $inner =~ ^\{[[:space:]]*$ ]]; then trimmed="{$entry}"; else trimmed="$inner,$entry}"; fi
  done
  output=$trimmed
fi

# The body, compact JSON in a fixed field order.
body="{\"job_id\":$(json_string "$job_id"),\"attempt\":$attempt,\"event\":\"$event\""
[ -z "$run_id" ] || body+=",\"run_id\":\"$run_id\""
[ -z "$run_attempt" ] || body+=",\"run_attempt\":$run_attempt"
if [ -n "$run_id" ] && [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
  body+=",\"run_url\":$(json_string "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$run_id")"
fi
! $has_message || body+=",\"message\":$(json_string "$message")"
[ "$event" != fail ] || body+=",\"retryable\":$retryable"
[ -z "$output" ] || body+=",\"output\":$output"
body+='}'

# The HMAC key: the base64 after the optional whsec_ prefix, decoded, as hex for openssl.
secret=${secret#"${secret%%[![:space:]]*}"}
secret=${secret%"${secret##*[![:space:]]}"}
secret=${secret#whsec_}
[[ $secret =~ ^[A-Za-z0-9+/]+={0,2}$ ]] && [ $((${#secret} % 4)) -eq 0 ] \
  || usage "PROVISIONING_CALLBACK_SECRET must be whsec_ followed by base64"
key_hex=$(printf '%s' "$secret" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')
[ -n "$key_hex" ] || usage "PROVISIONING_CALLBACK_SECRET has an empty key"

webhook_id="msg_$(openssl rand -hex 16)"
answer_file=$(mktemp)
trap 'rm -f "$answer_file"' EXIT

for ((try = 1; ; try++)); do
  printf -v timestamp '%(%s)T' -1
  signature=$(printf '%s' "$webhook_id.$timestamp.$body" \
    | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | openssl base64 -A)
  status=$(printf '%s' "$body" | curl --silent --show-error --proto '=http,https' --max-time "$timeout" --output "$answer_file" \
    --write-out '%{http_code}' --request POST \
    --header 'content-type: application/json' --header 'user-agent: provision-callback.sh' \
    --header "webhook-id: $webhook_id" --header "webhook-timestamp: $timestamp" \
    --header "webhook-signature: v1,$signature" \
    --data-binary @- "$callback_url") || status=000
  answer=$(cat "$answer_file" 2>/dev/null || true)
  case $status in
    2??)
      say "$event for job $job_id attempt $attempt: accepted ($status)"
      printf '%s\n' "$answer"
      exit 0 ;;
    409)
      say "$event for job $job_id attempt $attempt: 409, this run must stop: $answer"
      printf '%s\n' "$answer"
      exit "$exit_conflict" ;;
    000 | 429 | 5??)
      if [ "$try" -lt "$tries" ]; then
        wait_seconds=$((delay * 2 ** (try - 1)))
        say "$event for job $job_id attempt $attempt: ${status/#000/no answer} on try $try of $tries; again in ${wait_seconds} s"
        sleep "$wait_seconds"
        continue
      fi ;;
  esac
  say "$event for job $job_id attempt $attempt: ${status/#000/no answer} on try $try: giving up: $answer"
  printf '%s\n' "$answer"
  exit "$exit_failed"
done
