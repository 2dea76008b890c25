#!/usr/bin/env python3
"""Reference exact searches on the dataset cinerec_bench wrote: numpy (on whatever BLAS it loaded,
OpenBLAS on Debian with libopenblas0-pthread) and FAISS IndexFlatIP when python3-faiss is installed.
Same queries, same k, same interleaved-rounds timing as cinerec_bench; prints JSON rows."""
import argparse
import json
import sys
import time

import numpy as np


def loaded_libraries(*needles):
    """Shared objects this process has mapped whose path contains one of `needles` (what BLAS really runs)."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if any(n in path for n in needles):
                found.add(path)
    return sorted(found)


def percentile(samples, p):
    return float(np.percentile(np.array(samples), p * 100)) if samples else 0.0


def summarize(method, batch, samples):
    p50 = percentile(samples, 0.5)
    return {"method": method, "batch": batch, "samples": len(samples), "p50_ms": p50 * 1e3,
            "p99_ms": percentile(samples, 0.99) * 1e3, "min_ms": min(samples) * 1e3,
            "qps": batch / p50 if p50 > 0 else 0.0}


def recall(got, truth):
    return float(np.mean([len(set(g) & set(t)) / len(t) for g, t in zip(got, truth)]))


def numpy_top_k(m, q, k):
    scores = q @ m.T  # (batch, rows)
    idx = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part = np.take_along_axis(scores, idx, axis=1)
    order = np.argsort(-part, axis=1, kind="stable")
    return np.take_along_axis(idx, order, axis=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--dim", type=int, required=True)
    ap.add_argument("--queries", type=int, default=64)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--faiss-max-rows", type=int, default=10**9)
    args = ap.parse_args()

    m = np.fromfile(f"{args.data_dir}/data.f32", dtype="<f4").reshape(args.rows, args.dim)
    q = np.fromfile(f"{args.data_dir}/queries.f32", dtype="<f4").reshape(args.queries, args.dim)
    with open(f"{args.data_dir}/truth.json") as f:
        truth = json.load(f)

    info = {"numpy": np.__version__}
    methods = []  # (name, batch, fn(first) -> top-k rows)
    for b in (1, args.batch):
        methods.append(("numpy matmul + argpartition", b, lambda s, b=b: numpy_top_k(m, q[s:s + b], args.k)))

    try:
        import faiss
        info["faiss"] = faiss.__version__
        info["faiss_threads"] = faiss.omp_get_max_threads()
        if args.rows <= args.faiss_max_rows:
            t0 = time.perf_counter()
            index = faiss.IndexFlatIP(args.dim)
            index.add(m)
            info["faiss_build_s"] = time.perf_counter() - t0
            for b in (1, args.batch):
                methods.append(("faiss IndexFlatIP", b, lambda s, b=b: index.search(q[s:s + b], args.k)[1]))
    except ImportError:
        info["faiss"] = None

    info["blas_libraries"] = loaded_libraries("blas", "lapack", "faiss", "omp")
    samples = {i: [] for i in range(len(methods))}
    results_for_recall = {}
    for rnd in range(args.rounds):
        for i, (name, b, fn) in enumerate(methods):
            per_round = max(1, args.queries // args.rounds // b)
            for j in range(per_round):
                first = ((rnd * per_round + j) * b) % (args.queries - b + 1)
                t0 = time.perf_counter()
                fn(first)
                samples[i].append(time.perf_counter() - t0)

    rows = []
    for i, (name, b, fn) in enumerate(methods):
        row = summarize(name, b, samples[i])
        if b == 1:
            got = [list(fn(s)[0]) for s in range(args.queries)]
            results_for_recall[name] = recall(got, truth)
        row["recall_at_10"] = results_for_recall.get(name)
        rows.append(row)
    for row in rows:
        row["recall_at_10"] = results_for_recall.get(row["method"])
    json.dump({"info": info, "results": rows}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
