#!/usr/bin/env bash
# Builds cinerec with AddressSanitizer + UndefinedBehaviorSanitizer (CINEREC_SANITIZE, -O1, line
# tables) in build-asan and runs the whole ctest suite on it: unit tests and the CLI integration
# tests, which then drive the instrumented binary.
# Every sanitizer report is written to build-asan/sanitizer-logs: a test that expects the CLI to fail
# would otherwise accept an ASan abort as "the expected non-zero exit". Any report fails this script.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD_DIR:-build-asan}
jobs=${JOBS:-2}

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DCINEREC_SANITIZE=ON >/dev/null
cmake --build "$build" -j "$jobs"

logs="$PWD/$build/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
export ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitize/lsan.supp:print_suppressions=0"

status=0
(cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 900) || status=$?

if compgen -G "$logs/*" >/dev/null; then
  echo "test-sanitize: sanitizer reports:" >&2
  for f in "$logs"/*; do
    echo "== $f" >&2
    head -n 60 "$f" >&2
  done
  status=1
fi
if ((status == 0)); then echo "test-sanitize: whole suite clean under ASan + UBSan"; fi
exit $status
