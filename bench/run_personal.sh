#!/usr/bin/env bash
# The personal recommendations benchmark, one command: bash bench/run_personal.sh
# Builds cinerec, imports TMDB 5000 and the MovieLens small ratings into a temporary SQLite file, and
# measures training time, leave-last-liked-out quality (cinerec eval-ratings) and the latency of a
# --user recommendation (CLI and HTTP API). Results: bench/results/personal.json and the table in
# docs/PERSONAL.md.
#   CINEREC_CATALOGS=../shared/catalogs   where tmdb5000/ and movielens-small/ are
#   CINEREC_PYTHON=/usr/bin/python3
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/setup.sh
cmake --build build -j2 --target cinerec

CATALOGS=${CINEREC_CATALOGS:-../shared/catalogs}
"$PY" bench/personal_bench.py --binary build/cinerec --catalogs "$CATALOGS" \
  --json bench/results/personal.json --markdown docs/PERSONAL.md
echo "wrote bench/results/personal.json and docs/PERSONAL.md" >&2
