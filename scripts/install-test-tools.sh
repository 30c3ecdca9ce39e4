#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK and PostgreSQL, from the project's own files.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f tools/compose-lint/package-lock.json ] && [ ! -d tools/compose-lint/node_modules ]; then
  command -v npm >/dev/null 2>&1 || { echo "error: npm is required for the compose file check (apt-get install npm)" >&2; exit 1; }
  npm ci --prefix tools/compose-lint --no-audit --no-fund --loglevel=error >/dev/null
fi
if [ -f tools/workflow-lint/package-lock.json ] && [ ! -d tools/workflow-lint/node_modules ]; then
  command -v npm >/dev/null 2>&1 || { echo "error: npm is required for the workflow file check (apt-get install npm)" >&2; exit 1; }
  npm ci --prefix tools/workflow-lint --no-audit --no-fund --loglevel=error >/dev/null
fi
# The jobs dashboard's browser tests drive Debian's Chromium through Playwright (its own browser download is not used).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: /usr/bin/chromium is required for the dashboard's browser tests; install it as root: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
