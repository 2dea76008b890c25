#!/usr/bin/env bash
# The main job: (re)creates the database from the seed catalog, then serves the web UI and the JSON API
# until Ctrl-C. Usage: scripts/demo.sh BINARY DB SEED_DIR   (env CINEREC_HOST, CINEREC_PORT)
set -euo pipefail
BIN="$1"; DB="$2"; SEED="$3"
HOST="${CINEREC_HOST:-127.0.0.1}"
PORT="${CINEREC_PORT:-8080}"

echo "== importing the seed catalog from $SEED into $DB"
"$BIN" --db "$DB" import "$SEED/movie_descriptions.json" --quiet
"$BIN" --db "$DB" add-embeddings "$SEED/movie_descriptions_embeddings.json" --model text-embedding-3-small

echo
echo "== cinerec serve: open http://$HOST:$PORT/ in a browser (API: http://$HOST:$PORT/api/openapi.json)"
exec "$BIN" --db "$DB" serve --host "$HOST" --port "$PORT"
