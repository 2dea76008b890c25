#!/usr/bin/env python3
"""Offline vs vector-only vs hybrid on the dev sets, with the seed's stored OpenAI vectors served by a fake
provider (tests/integration/stored_vectors.py: prompts get simulated vectors of a chosen fidelity).

    python3 bench/hybrid_eval.py [--bin build/cinerec] [--fidelity 1 0.2 0.1 0.07 0.05] [--out FILE]

Prints a Markdown table (also written to bench/results/hybrid-eval.md unless --out says otherwise); the
figures of docs/RETRIEVAL.md come from it.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from fake_embedding_server import FakeEmbeddingServer  # noqa: E402
from stored_vectors import build_table, lookup_in  # noqa: E402

SEED = Path(os.environ.get("CINEREC_SEED_DIR", ROOT.parent / "shared" / "seed-data"))
DEV_SETS = [ROOT / "tests" / "data" / "dev-es.tsv", ROOT / "tests" / "data" / "dev-en.tsv"]


def cinerec(binary, db, *args, env=None):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "CINEREC_PROVIDER"))}
    full["CINEREC_ENV_FILE"] = "/nonexistent.env"
    full.update(env or {})
    p = subprocess.run([binary, "--db", str(db), *map(str, args)], capture_output=True, text=True, env=full)
    if p.returncode != 0:
        raise SystemExit(f"cinerec {' '.join(map(str, args))} failed:\n{p.stderr}")
    return p.stdout


def figures(binary, db, dev, *args, env=None):
    j = json.loads(cinerec(binary, db, "eval", dev, "--json", *args, env=env))
    return [j["hit@1"], j["hit@5"], j["hit@10"], j["mrr"], j["ndcg@10"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(ROOT / "build" / "cinerec"))
    ap.add_argument("--fidelity", type=float, nargs="+", default=[1.0, 0.2, 0.1, 0.07, 0.05])
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "hybrid-eval.md"))
    a = ap.parse_args()
    rows = ["| dev set | mode | fidelity | hit@1 | hit@5 | hit@10 | MRR | nDCG@10 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seed.db"
        cinerec(a.bin, db, "import", SEED / "movie_descriptions.json", "--quiet")
        cinerec(a.bin, db, "add-embeddings", SEED / "movie_descriptions_embeddings.json")
        for dev in DEV_SETS:
            f = figures(a.bin, db, dev)
            rows.append(f"| {dev.name} | offline | - | " + " | ".join(f"{x:.3f}" for x in f) + " |")
        for fidelity in a.fidelity:
            with FakeEmbeddingServer(lookup=lookup_in(build_table(SEED, DEV_SETS, fidelity))) as fake:
                env = {"OPENAI_COMPATIBLE_BASE_URL": fake.url, "OPENAI_COMPATIBLE_MODEL": "text-embedding-3-small"}
                for dev in DEV_SETS:
                    for mode, extra in (("vector", ["--vector-only"]), ("hybrid", [])):
                        f = figures(a.bin, db, dev, "--provider", "openai-compatible", *extra, env=env)
                        rows.append(f"| {dev.name} | {mode} | {fidelity:g} | " +
                                    " | ".join(f"{x:.3f}" for x in f) + " |")
    table = "\n".join(rows) + "\n"
    print(table, end="")
    Path(a.out).write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
