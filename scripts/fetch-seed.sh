#!/usr/bin/env bash
# Makes sure the seed catalog is present in DIR (default ../shared/seed-data) and intact.
# With a local copy, it verifies the JSON files against SHA256SUMS. Without one, it downloads the
# files from the original public repository (see SOURCE.md) and verifies the pinned checksums.
set -euo pipefail
DIR="${1:-${CINEREC_SEED_DIR:-../shared/seed-data}}"
BASE="https://raw.githubusercontent.com/DavidRamirez1106/TallerIA_PI/88a761856f314af8bd9ede24233f2180ed07481d"
# Pinned here too, so a download is checked against what this project expects, not what it fetched.
SUMS="6db763dc11e027c9e6060cde98a092361dc30ccee5877f7018a9ad325aae7aae  movie_descriptions.json
fca3ece1ee31743867dabc513027e929276346b6b2df8165f320894281972e78  movie_descriptions_embeddings.json
8d40fcf15aed042caaa6d9b3198ea633a7731e0289391439691f17e8e9269f95  movie_titles.json"

if [[ ! -f "$DIR/movie_descriptions.json" ]]; then
  echo "fetch-seed: no seed catalog in $DIR; downloading from $BASE"
  mkdir -p "$DIR"
  for f in movie_descriptions.json movie_descriptions_embeddings.json movie_titles.json; do
    curl -fsSL --retry 3 -o "$DIR/$f.part" "$BASE/$f"
    mv "$DIR/$f.part" "$DIR/$f"
  done
  echo "$SUMS" > "$DIR/SHA256SUMS"
fi

(cd "$DIR" && echo "$SUMS" | sha256sum --check --quiet) || {
  echo "fetch-seed: checksum mismatch in $DIR (see SOURCE.md)" >&2
  exit 1
}
