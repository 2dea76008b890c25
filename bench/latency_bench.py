#!/usr/bin/python3
"""Latency at scale (run through bench/run_latency.sh): a synthetic catalog of N movies with D-dim
vectors (`cinerec synth`) imported into a fresh SQLite file (timed), its HNSW index built (timed), then
`cinerec serve` answering over HTTP on the loopback, one keep-alive connection: similar movies with the
exact scan and with the HNSW graph, and offline prompts (BM25 + centroid + cosine over every movie).
p50 / p99 per request; no embedding call is involved. Writes the JSON results and the section of
docs/SCALE.md between <!-- latency:begin --> and <!-- latency:end -->."""
import argparse
import csv
import datetime
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

from bench_support import cpu_model, latency_summary, replace_section


def run(binary, db, *args):
    start = time.perf_counter()
    proc = subprocess.run([binary, "--db", db, *map(str, args)], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"cinerec {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout, time.perf_counter() - start


class Server:
    def __init__(self, binary, db, *extra):
        self.proc = subprocess.Popen([binary, "--db", db, "serve", "--host", "127.0.0.1", "--port", "0",
                                      "--no-access-log", "--no-reload", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            sys.exit(f"cinerec serve did not start: {line!r}")
        self.conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=60)

    def get(self, path):
        start = time.perf_counter()
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            sys.exit(f"GET {path}: HTTP {response.status}: {body[:300]!r}")
        return json.loads(body), elapsed

    def stop(self):
        self.conn.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)


def timed_requests(server, paths, warmup=5):
    for p in paths[:warmup]:
        server.get(p)
    answers, seconds = [], []
    for p in paths:
        body, elapsed = server.get(p)
        answers.append(body)
        seconds.append(elapsed)
    return answers, seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--movies", type=int, default=100000)
    ap.add_argument("--dim", type=int, default=1536)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown")
    args = ap.parse_args()

    result = {"started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "cpu": cpu_model(), "cores": os.cpu_count(), "load_average": [f"{x:.2f}" for x in os.getloadavg()],
              "movies": args.movies, "dim": args.dim}
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "scale.db")
        out, _ = run(args.binary, db, "synth", "--movies", args.movies, "--dim", args.dim, "--format", "csv",
                     "--out", os.path.join(tmp, "syn"))
        print(out.strip(), file=sys.stderr)
        out, seconds = run(args.binary, db, "import", os.path.join(tmp, "syn", "catalog.csv"), "--vectors",
                           os.path.join(tmp, "syn", "vectors.npy"), "--model", "synthetic", "--quiet")
        result["import_seconds"] = round(seconds, 2)
        print(f"import: {seconds:.1f} s", file=sys.stderr)
        with open(os.path.join(tmp, "syn", "catalog.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        ids = [rng.randrange(1, args.movies + 1) for _ in range(args.requests)]
        words = [w for r in rng.sample(rows, 50) for w in r["description"].split()[:6] if len(w) > 4]
        prompts = [" ".join(rng.sample(words, 4)) for _ in range(args.requests)]

        runs = {}
        server = Server(args.binary, db, "--vector-search", "exact")
        exact, runs["similar, exact scan"] = timed_requests(server, [f"/api/movies/{i}/similar?k=10" for i in ids])
        prompt_paths = ["/api/recommend?k=10&prompt=" + urllib.parse.quote(p) for p in prompts]
        full, runs["offline prompt (BM25 + centroid + cosine of every movie)"] = timed_requests(server, prompt_paths)
        server.stop()

        out, seconds = run(args.binary, db, "index")
        result["index_seconds"] = round(seconds, 2)
        print(out.strip(), file=sys.stderr)
        server = Server(args.binary, db)
        approx, runs["similar, HNSW (ef 64)"] = timed_requests(server, [f"/api/movies/{i}/similar?k=10" for i in ids])
        candidates, runs["offline prompt, HNSW candidates (ef 64)"] = timed_requests(server, prompt_paths)
        server.stop()
        # A prompt none of whose words the catalog has gets no query vector, so no vector search.
        for answers, want in ((approx, "hnsw (ef 64)"), (candidates, "hnsw (ef 64) candidates")):
            methods = {a.get("vector_search") for a in answers if answers is not candidates or a.get("vector_search")}
            if methods != {want}:
                sys.exit(f"the HNSW run did not use the graph: {methods}")

        def agreement(got, truth):
            found = sum(len({r["id"] for r in a["results"]} & {r["id"] for r in e["results"]}) for a, e in zip(got, truth))
            return round(found / max(1, sum(len(e["results"]) for e in truth)), 4)
        result["hnsw_recall_at_10"] = agreement(approx, exact)
        result["prompt_candidates_agreement_at_10"] = agreement(candidates, full)
    result["requests"] = {name: latency_summary(s) for name, s in runs.items()}
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    rows_md = ["| request (HTTP, loopback, keep-alive) | calls | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for name, s in result["requests"].items():
        rows_md.append(f"| {name} | {s['calls']} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {s['max_ms']:.2f} |")
    block = "\n".join([
        f"Run of {result['started']} (`bash bench/run_latency.sh`), {result['cpu']}, {result['cores']} cores, load "
        f"average at start {' '.join(result['load_average'])}: {args.movies:,} synthetic movies × {args.dim} "
        f"dimensions. Import with vectors {result['import_seconds']} s, `cinerec index` {result['index_seconds']} s; "
        f"HNSW recall@10 against the exact scan {result['hnsw_recall_at_10']:.4f}; prompts ranked over the graph's "
        f"candidates share {result['prompt_candidates_agreement_at_10']:.4f} of their top 10 with the ranking of "
        f"every movie.", "", *rows_md])
    if args.markdown:
        with open(args.markdown, encoding="utf-8") as f:
            text = f.read()
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(replace_section(text, "latency", block))
    print(block)


if __name__ == "__main__":
    main()
