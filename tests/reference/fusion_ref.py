#!/usr/bin/env python3
"""Independent reference for cinerec's rank fusion and MMR (src/index/fusion.h), in numpy float64.

Usage: fusion_ref.py IN.json OUT.json
IN: {"lists": [{"rows": [...], "scores": [...], "weight": w}, ...], "k": K, "rrf_k": C,
     "vectors": [[...], ...], "mmr_candidates": {"rows": [...], "scores": [...]}, "lambdas": [...]}
OUT: {"rrf": [[row, score], ...], "minmax": [...], "max": [...], "none": [...],
      "mmr": [[row, ...] per lambda]}
"""
import json
import sys

import numpy as np


def top_k(total, k):
    rows = np.array(sorted(total), dtype=np.int64)
    scores = np.array([total[r] for r in rows], dtype=np.float64)
    # Compare as float32, like the C++ output, then by row ascending.
    order = np.lexsort((rows, -scores.astype(np.float32)))[:k]
    return [[int(rows[i]), float(scores[i])] for i in order]


def rrf(lists, k, c):
    total = {}
    for lst in lists:
        seen = set()
        for rank, row in enumerate(lst["rows"], start=1):
            if row in seen:
                continue
            seen.add(row)
            total[row] = total.get(row, 0.0) + lst["weight"] / (c + rank)
    return top_k(total, k)


def weighted(lists, k, mode):
    total = {}
    for lst in lists:
        s = np.array(lst["scores"], dtype=np.float32).astype(np.float64)
        if s.size == 0:
            continue
        if mode == "minmax":
            n = (s - s.min()) / (s.max() - s.min()) if s.max() > s.min() else np.ones_like(s)
        elif mode == "max":
            n = s / s.max() if s.max() > 0 else np.zeros_like(s)
        else:
            n = s
        seen = set()
        for row, v in zip(lst["rows"], n):
            if row in seen:
                continue
            seen.add(row)
            total[row] = total.get(row, 0.0) + lst["weight"] * v
    return top_k(total, k)


def mmr(rows, scores, vectors, lam, k):
    rows = np.array(rows)
    s = np.array(scores, dtype=np.float32).astype(np.float64)
    rel = (s - s.min()) / (s.max() - s.min()) if s.max() > s.min() else np.ones_like(s)
    v = np.array(vectors, dtype=np.float32).astype(np.float64)[rows]
    sim = v @ v.T
    rank_order = np.lexsort((rows, -s))  # ties in MMR value go to the better-ranked candidate
    picked = []
    for _ in range(min(k, len(rows))):
        best, best_val = None, None
        for i in rank_order:
            if i in picked:
                continue
            pen = max(sim[i, j] for j in picked) if picked else 0.0
            val = lam * rel[i] - (1 - lam) * pen
            if best is None or val > best_val:
                best, best_val = i, val
        picked.append(best)
    return [int(rows[i]) for i in picked]


def main():
    data = json.load(open(sys.argv[1]))
    lists, k = data["lists"], data["k"]
    out = {
        "rrf": rrf(lists, k, data["rrf_k"]),
        "minmax": weighted(lists, k, "minmax"),
        "max": weighted(lists, k, "max"),
        "none": weighted(lists, k, "none"),
        "mmr": [mmr(data["mmr_candidates"]["rows"], data["mmr_candidates"]["scores"], data["vectors"], lam, k)
                for lam in data["lambdas"]],
    }
    json.dump(out, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
