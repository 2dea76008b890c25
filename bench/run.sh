#!/usr/bin/env bash
# The benchmark, one command: bash bench/run.sh
# Builds cinerec_bench, and for each size generates a synthetic clustered dataset, times cinerec's
# exact fp32 / fp16 / int8 scans and the plain AVX2 bandwidth scan (C++), then numpy on OpenBLAS and
# FAISS IndexFlatIP (Python) and USearch exactSearch (npm usearch, bench/usearch) on the same vectors
# and queries. Then cinerec's HNSW against raw hnswlib and USearch's HNSW at equal M / ef.
# Results: bench/results/bench-<UTC>.json
# and the tables in docs/BENCHMARKS.md.
#   CINEREC_BENCH_SIZES="10000x1536 200000x1536"   sizes to run (rows x dim)
#   CINEREC_BENCH_QUERIES=128                       queries per size
#   CINEREC_BENCH_HNSW_SIZES="50000x384 20000x1536" sizes for cinerec HNSW vs raw hnswlib ("" to skip)
#   CINEREC_BENCH_HNSW="--M 16 --ef-construction 100"  HNSW parameters (same for both)
#   CINEREC_PYTHON=/usr/bin/python3                 interpreter with numpy (+ faiss)
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/setup.sh
cmake --build build -j2 --target cinerec_bench

SIZES=${CINEREC_BENCH_SIZES:-"10000x1536 100000x1536 200000x1536 10000x384 100000x384 200000x384"}
HNSW_SIZES=${CINEREC_BENCH_HNSW_SIZES-"50000x384 20000x1536"}
HNSW_PARAMS=${CINEREC_BENCH_HNSW:-"--M 16 --ef-construction 100"}
QUERIES=${CINEREC_BENCH_QUERIES:-128}
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
  node bench/usearch/usearch_reference.mjs exact --data-dir "$TMP" --rows "$rows" --dim "$dim" --queries "$QUERIES" \
    > "$TMP/usearch-$size.json"
  rm -f "$TMP/data.f32"
done

for size in $HNSW_SIZES; do
  rows=${size%x*}
  dim=${size#*x}
  echo "== hnsw $rows x $dim" >&2
  # shellcheck disable=SC2086
  build/bench/cinerec_bench hnsw --rows "$rows" --dim "$dim" --queries "$QUERIES" $HNSW_PARAMS --data-dir "$TMP" \
    --out "$TMP/hnsw-$size.json"
  # shellcheck disable=SC2086
  node bench/usearch/usearch_reference.mjs hnsw --data-dir "$TMP" --rows "$rows" --dim "$dim" --queries "$QUERIES" \
    $HNSW_PARAMS > "$TMP/hnsw-usearch-$size.json"
  rm -f "$TMP/data.f32"
done

# shellcheck disable=SC2086
"$PY" bench/report.py --dir "$TMP" --sizes $SIZES --hnsw-sizes $HNSW_SIZES --json "bench/results/bench-$STAMP.json" \
  --markdown docs/BENCHMARKS.md
echo "wrote bench/results/bench-$STAMP.json and docs/BENCHMARKS.md" >&2
