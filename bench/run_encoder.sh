#!/usr/bin/env bash
# The local encoder benchmark, one command: bash bench/run_encoder.sh
# Builds cinerec_encoder_bench, generates models of the MiniLM-L6 and multilingual-e5-small shapes with
# random weights, and times cinerec's encoder against PyTorch on the same weights (batch 1 and 32,
# 1 and 2 threads, ~12 and ~200 tokens). Results: bench/results/encoder.json and the table in docs/BENCHMARKS.md.
#   CINEREC_ENCODER_BENCH_ROUNDS=2     rounds per cell (engines alternate between rounds)
#   CINEREC_PYTHON=/usr/bin/python3    interpreter with Debian's python3-torch
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/setup.sh
cmake --build build -j2 --target cinerec_encoder_bench

"$PY" bench/encoder_bench.py --binary build/bench/cinerec_encoder_bench --rounds "${CINEREC_ENCODER_BENCH_ROUNDS:-2}" \
  --json bench/results/encoder.json --markdown docs/BENCHMARKS.md
echo "wrote bench/results/encoder.json and docs/BENCHMARKS.md" >&2
