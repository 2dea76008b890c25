#!/usr/bin/env bash
# Installs every system package cinerec needs to build, test and run.
# Idempotent: packages already present are skipped, so a second run does no apt work.
set -euo pipefail

PACKAGES=(
  # build
  cmake g++ make pkg-config ninja-build
  # core libraries
  libsqlite3-dev sqlite3 nlohmann-json3-dev libcli11-dev libstemmer-dev libutf8proc-dev
  libcurl4-openssl-dev libssl-dev libcpp-httplib-dev libpqxx-dev libopenblas-dev libhnswlib-dev zlib1g-dev
  # language resources read at run time (optional: missing -> a notice)
  dict-freedict-eng-spa wspanish mythes-es wordnet-base
  # tests and references
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-numpy
  # load soak of the API (tests/integration/test_load_soak.py)
  wrk
  # fuzzing (libFuzzer ships in clang's runtime package)
  clang libclang-rt-14-dev
  # benchmark references (bench/run.sh): numpy on OpenBLAS, FAISS IndexFlatIP
  libopenblas0-pthread python3-faiss
  # local encoder: the PyTorch / SentencePiece references of its parity tests and benchmark
  python3-torch python3-sentencepiece
  # PostgreSQL server for the store tests
  postgresql-15
  # browser tests of the web UI (tests/browser): Debian's chromium, driven by playwright-core from npm
  chromium
)

# Node.js and npm run the browser tests. Machines may already have them from another source (e.g. a
# NodeSource nodejs that bundles npm, where Debian's npm package would conflict): install Debian's only
# when the command is missing.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
