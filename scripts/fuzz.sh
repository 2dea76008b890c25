#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) in build-fuzz and runs each for
# a bounded time on a copy of its corpus (tests/fuzz/corpus/<target>; new inputs stay in the build
# directory, so CI never dirties the repository). A crash leaves the input in build-fuzz/crashes and
# fails the script; turn it into a regression unit test.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 45 s, every target)
# FUZZ_SEED (default 1) fixes libFuzzer's random seed, so a CI run replays the mutations a developer's
# run of the same length already explored: CI checks that nothing regressed, and a new finding comes
# from a deliberate longer search (FUZZ_SEED=0 draws a fresh seed each run), not from CI's luck.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-45}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}

cmake -S tests/fuzz -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j "${JOBS:-2}"

# The tokenizer target needs tokenizer.json files; the local encoder's test generator writes them
# (once, with python3-torch and python3-sentencepiece from Debian).
models="$build/models"
if [[ ! -f "$models/done" ]]; then
  rm -rf "$models.tmp"
  /usr/bin/python3 tests/local_encoder/make_models.py "$models.tmp" >/dev/null
  touch "$models.tmp/done"
  rm -rf "$models"
  mv "$models.tmp" "$models"
fi
export CINEREC_FUZZ_MODELS="$PWD/$models"

targets=("$@")
if ((${#targets[@]} == 0)); then
  for src in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi

mkdir -p "$build/crashes"
failed=()
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  mkdir -p "$work"
  seeds="tests/fuzz/corpus/$t"
  [[ -d "$seeds" ]] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
  echo "fuzz: $t for ${seconds}s"
  # -timeout: an input taking over 10 s is a hang; -rss_limit_mb bounds memory; leaks are ASan errors.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$build/$t" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/crashes/$t-" -print_final_stats=1 "$work" \
      >"$build/$t.log" 2>&1; then
    failed+=("$t")
    tail -n 40 "$build/$t.log"
  else
    grep -E "^stat::(number_of_executed_units|peak_rss_mb|new_units_added)" "$build/$t.log" | tr '\n' ' '
    echo
  fi
done

if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/crashes)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash"
