#!/usr/bin/env bash
# The benchmark, one command: bash bench/run.sh
# Builds cinerec_bench, and for each size generates a synthetic clustered dataset, times cinerec's
# exact fp32 / fp16 / int8 scans and the plain AVX2 bandwidth scan (C++), then numpy on OpenBLAS and
# FAISS IndexFlatIP (Python) on the same vectors and queries. Results: bench/results/scan-<UTC>.json
# and the tables in docs/BENCHMARKS.md.
#   CINEREC_BENCH_SIZES="10000x1536 200000x1536"   sizes to run (rows x dim)
#   CINEREC_BENCH_QUERIES=128                       queries per size
#   CINEREC_PYTHON=/usr/bin/python3                 interpreter with numpy (+ faiss)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target cinerec_bench

SIZES=${CINEREC_BENCH_SIZES:-"10000x1536 100000x1536 200000x1536 10000x384 100000x384 200000x384"}
QUERIES=${CINEREC_BENCH_QUERIES:-128}
PY=${CINEREC_PYTHON:-/usr/bin/python3}
[[ -x "$PY" ]] || PY=python3
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p bench/results

for size in $SIZES; do
  rows=${size%x*}
  dim=${size#*x}
  echo "== $rows x $dim" >&2
  build/bench/cinerec_bench scan --rows "$rows" --dim "$dim" --queries "$QUERIES" --data-dir "$TMP" \
    --out "$TMP/cinerec-$size.json"
  "$PY" bench/reference.py --data-dir "$TMP" --rows "$rows" --dim "$dim" --queries "$QUERIES" \
    > "$TMP/reference-$size.json"
  rm -f "$TMP/data.f32"
done

"$PY" bench/report.py --dir "$TMP" --sizes $SIZES --json "bench/results/scan-$STAMP.json" --markdown docs/BENCHMARKS.md
echo "wrote bench/results/scan-$STAMP.json and docs/BENCHMARKS.md" >&2
