#!/usr/bin/env python3
"""Independent reference for cinerec's exact search: numpy float64 scores and a stable top-k.

Usage: exact_topk.py MATRIX QUERIES MASK ROWS DIM NQ K OUT
MATRIX and QUERIES are raw little-endian float32, row-major; MASK is ROWS bytes or '-' for none.
OUT gets one line per query: K pairs "row score" (fewer if fewer rows pass the mask).
"""
import sys

import numpy as np


def main():
    matrix_path, queries_path, mask_path, rows, dim, nq, k, out_path = sys.argv[1:]
    rows, dim, nq, k = int(rows), int(dim), int(nq), int(k)
    m = np.fromfile(matrix_path, dtype="<f4").reshape(rows, dim).astype(np.float64)
    q = np.fromfile(queries_path, dtype="<f4").reshape(nq, dim).astype(np.float64)
    mask = None if mask_path == "-" else np.fromfile(mask_path, dtype=np.uint8).astype(bool)
    scores = q @ m.T
    with open(out_path, "w") as out:
        for i in range(nq):
            candidates = np.arange(rows) if mask is None else np.nonzero(mask)[0]
            s = scores[i, candidates]
            # lexsort: last key is primary -> score descending, then row ascending
            order = np.lexsort((candidates, -s))[:k]
            out.write(" ".join(f"{candidates[j]} {s[j]:.9g}" for j in order) + "\n")


if __name__ == "__main__":
    main()
