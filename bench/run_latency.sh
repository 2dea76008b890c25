#!/usr/bin/env bash
# Latency at scale, one command: bash bench/run_latency.sh
# Imports a synthetic catalog (default 100,000 movies x 1536 dims) into a temporary SQLite file, builds
# its HNSW index, and times similar-movie and offline-prompt requests against cinerec serve.
# Results: bench/results/latency.json and the table in docs/SCALE.md.
#   CINEREC_LATENCY_MOVIES=100000  CINEREC_LATENCY_DIM=1536  CINEREC_LATENCY_REQUESTS=200
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/setup.sh
cmake --build build -j2 --target cinerec

"$PY" bench/latency_bench.py --binary build/cinerec --movies "${CINEREC_LATENCY_MOVIES:-100000}" \
  --dim "${CINEREC_LATENCY_DIM:-1536}" --requests "${CINEREC_LATENCY_REQUESTS:-200}" \
  --json bench/results/latency.json --markdown docs/SCALE.md
echo "wrote bench/results/latency.json and docs/SCALE.md" >&2
