#!/usr/bin/env bash
# Runs both test projects: tests/Provisioning.UnitTests (no PostgreSQL, no processes; seconds) and
# tests/Provisioning.Tests (against a throwaway PostgreSQL that this script starts and always stops, and the
# programs as processes). Ends with the line "N passed, N failed, N skipped" counted from the test results (TRX files).
#   ./test.sh          both projects
#   ./test.sh --fast   the unit tests alone: builds only their project, starts no PostgreSQL
#   TEST_FILTER        optional dotnet test --filter expression
set -uo pipefail
cd "$(dirname "$0")"
root="$(pwd)"
source scripts/postgres.sh

fast=0
case "${1:-}" in
  "") ;;
  --fast) fast=1 ;;
  *) echo "usage: ./test.sh [--fast]" >&2; exit 2 ;;
esac

command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET SDK 10 is required (dotnet not found on PATH)" >&2; exit 1; }
if [ $fast -eq 0 ]; then
  pg_find_bin >/dev/null || { echo "error: PostgreSQL binaries not found (Debian/Ubuntu: apt-get install postgresql)" >&2; exit 1; }
fi

work="$(mktemp -d /tmp/provisioning-test.XXXXXX)"
chmod 755 "$work"
results="$root/.local/test-results"
rm -rf "$results"
mkdir -p "$results"
pgdir="$work/pgdata"
# Between the tests' own ports (FreePort: 10000-32000) and the ephemeral range (from 32768).
port=$((32100 + RANDOM % 600))

cleanup() {
  # Programs the tests started (Debug builds; ./run.sh runs Release) that a crashed test host left behind.
  pkill -f "$root/(src|tools)/[A-Za-z]+/bin/Debug/.*/Provisioning\.[A-Za-z]+\.dll" 2>/dev/null || true
  [ $fast -eq 1 ] || pg_down "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

filter=()
[ -n "${TEST_FILTER:-}" ] && filter=(--filter "$TEST_FILTER")

# One project after the other, each into its own results folder, so their TRX files never share a name.
run_tests() {
  dotnet test "tests/$1/$1.csproj" --no-build -nologo "${filter[@]+"${filter[@]}"}" \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results/$1"
}

if [ $fast -eq 1 ]; then
  dotnet build tests/Provisioning.UnitTests/Provisioning.UnitTests.csproj -nologo -v quiet -clp:ErrorsOnly
  build=$?
  status=$build
  if [ $build -eq 0 ]; then
    run_tests Provisioning.UnitTests
    status=$?
  fi
else
  scripts/install-test-tools.sh || exit 1

  echo "starting a throwaway PostgreSQL on 127.0.0.1:$port"
  # A password of its own (no trust authentication): only the tests, which are given it, can log in.
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')"
  pg_up "$pgdir" "$port" "$password" || exit 1
  export PROVISIONING_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres;Pooling=false"

  dotnet build Provisioning.sln -nologo -v quiet -clp:ErrorsOnly
  build=$?
  status=$build
  if [ $build -eq 0 ]; then
    run_tests Provisioning.UnitTests
    status=$?
    run_tests Provisioning.Tests
    [ $? -eq 0 ] || status=1
  fi
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # Skipped tests are in total but not in executed (the TRX notExecuted counter stays 0 for them).
  skipped=$((skipped + $(get total) - $(get executed)))
done
if [ $build -ne 0 ]; then
  echo "build failed"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ $status -ne 0 ] || [ $failed -ne 0 ]; then
  exit 1
fi
exit 0
