#!/usr/bin/env bash
# Runs the reliability scenarios (tests/Provisioning.Tests/Reliability) through ./test.sh and prints their figures.
#   scripts/reliability.sh          the long profile: more events, a 30 s PostgreSQL outage, a 60 s GitHub outage
#   scripts/reliability.sh short    the short profile ./test.sh and CI run
# Each scenario writes one JSON line to .local/reliability/<scenario>.json; the table below is made from them.
set -uo pipefail
cd "$(dirname "$0")/.."

profile="${1:-${RELIABILITY_PROFILE:-long}}"
case "$profile" in
  short|long) ;;
  *) echo "usage: $0 [short|long]" >&2; exit 2 ;;
esac

rm -f .local/reliability/*.json
started=$(date +%s)
RELIABILITY_PROFILE="$profile" TEST_FILTER="FullyQualifiedName~Provisioning.Tests.Reliability" ./test.sh
status=$?
echo
echo "reliability, $profile profile, $(( $(date +%s) - started )) s in all, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"

shopt -s nullglob
files=(.local/reliability/*.json)
# Scenario 10 after 9, not after 1.
[ ${#files[@]} -gt 0 ] && mapfile -t files < <(printf '%s\n' "${files[@]}" | sort -V)
if [ ${#files[@]} -eq 0 ]; then
  echo "no figures were written (see the test output above)"
elif command -v jq >/dev/null 2>&1; then
  {
    echo "scenario sent requests acked jobs lost dup unprocessed succeeded failed dispatches runs extra_runs recover_s process_s duration_s violations"
    jq -r '[.scenario, .eventsSent, .webhookRequests, .acknowledged, .jobsCreated, .lost, .duplicates, .unprocessed, .succeeded, .failed,
            .dispatchRequests, .runsCreated, .extraRuns, .secondsToRecover, (.secondsToProcess // "-"), .durationSeconds, .violations] | @tsv' "${files[@]}" | tr '\t' ' '
  } | column -t
  echo
  for f in "${files[@]}"; do
    jq -r '"\(.scenario): answers \(.webhookAnswers | to_entries | map("\(.key)=\(.value)") | join(" ")); \(.extra | to_entries | map("\(.key)=\(.value)") | join(", "))"' "$f"
  done
else
  cat "${files[@]}"
fi
exit $status
