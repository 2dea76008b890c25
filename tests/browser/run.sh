#!/usr/bin/env bash
# Runs the browser tests (ctest: browser.web). Installs playwright-core from package-lock.json when
# node_modules is missing or stale; uses Debian's chromium (scripts/install-deps.sh), never a
# downloaded browser.
set -euo pipefail
cd "$(dirname "$0")"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ ! -x "${CINEREC_CHROMIUM:-/usr/bin/chromium}" ]]; then
  echo "browser tests: ${CINEREC_CHROMIUM:-/usr/bin/chromium} is missing; run scripts/install-deps.sh" >&2
  exit 1
fi
exec node --test --test-concurrency=1 web.test.mjs
