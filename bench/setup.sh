# Sourced by the bench/run*.sh scripts (from the project root): installs what is missing, configures the
# Release build, and picks the interpreter that has Debian's numpy / torch / faiss ($PY).
#   CINEREC_PYTHON=/usr/bin/python3
bash scripts/install-deps.sh
# USearch, a reference of bench/run.sh: its pinned npm package (prebuilt native binding).
[[ -d bench/usearch/node_modules/usearch ]] || (cd bench/usearch && npm ci --no-audit --no-fund >/dev/null)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
PY=${CINEREC_PYTHON:-/usr/bin/python3}
[[ -x "$PY" ]] || PY=python3
