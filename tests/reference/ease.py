"""Independent reference for the personal model's collaborative parts, with numpy.

Usage: ease.py INTERACTIONS_TXT ITEMS LAMBDA OUT_JSON
INTERACTIONS_TXT has one "user item" pair per line. Writes {"ease": B, "knn": C} (items x items) where
  G = X'X (X binary users x items), P = (G + lambda I)^-1, B = -P / diag(P) column-wise, diag(B) = 0,
  C = G / sqrt(diag(G) diag(G)'), diag(C) = 0,
and only positive entries are kept (the model keeps positive evidence only)."""
import json
import sys

import numpy as np

path, items, lam, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
pairs = np.loadtxt(path, dtype=np.int64, ndmin=2)
users = int(pairs[:, 0].max()) + 1
X = np.zeros((users, items))
X[pairs[:, 0], pairs[:, 1]] = 1.0
G = X.T @ X
rated = np.where(G.diagonal() > 0)[0]
Gc = G[np.ix_(rated, rated)]
P = np.linalg.inv(Gc + lam * np.eye(len(rated)))
Bc = -P / np.diag(P)[None, :]
np.fill_diagonal(Bc, 0.0)
B = np.zeros((items, items))
B[np.ix_(rated, rated)] = Bc
d = np.sqrt(np.maximum(G.diagonal(), 1e-300))
C = np.where(G > 0, G / np.outer(d, d), 0.0)
np.fill_diagonal(C, 0.0)
json.dump({"ease": np.maximum(B, 0).tolist(), "knn": np.maximum(C, 0).tolist()}, open(out, "w"))
