#!/usr/bin/env bash
# The main job: (re)creates the database from the seed catalog and shows what cinerec does with it.
# Usage: scripts/demo.sh BINARY DB SEED_DIR
set -euo pipefail
BIN="$1"; DB="$2"; SEED="$3"

echo "== importing the seed catalog from $SEED into $DB"
"$BIN" --db "$DB" import "$SEED/movie_descriptions.json" --quiet
"$BIN" --db "$DB" add-embeddings "$SEED/movie_descriptions_embeddings.json" --model text-embedding-3-small

# The original system's example prompts, answered offline (no API key needed).
for prompt in "película de un pianista" \
              "película de la segunda guerra mundial" \
              "una comedia ligera para ver en familia" \
              "película de ciencia ficción en el espacio"; do
  echo
  echo "== cinerec recommend \"$prompt\""
  "$BIN" --db "$DB" recommend "$prompt" -k 5
done
echo
echo "== cinerec similar \"Salvar al soldado Ryan\""
"$BIN" --db "$DB" similar "Salvar al soldado Ryan" -k 5
