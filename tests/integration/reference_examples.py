"""Independent reference for recommendations from liked / disliked movies, as Qdrant's recommend API
defines them, with numpy over the seed's vectors.

Usage: reference_examples.py EMBEDDINGS_JSON STRATEGY K LIKED_TITLES DISLIKED_TITLES
  (titles separated by '|', either list may be empty)  -> JSON list of [title, score]
average:    query = avg(pos) + (avg(pos) - avg(neg)); score = cosine(query, movie)
best-score: score = s(max_pos) if max_pos > max_neg else -s(max_neg), s(x) = (x / (1 + |x|) + 1) / 2
Shares no code with cinerec: it reads the original JSON file directly."""
import json
import sys

import numpy as np

path, strategy, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
liked = [t for t in sys.argv[4].split("|") if t]
disliked = [t for t in sys.argv[5].split("|") if t]
movies = json.load(open(path, encoding="utf-8"))
titles = [m["title"] for m in movies]
matrix = np.array([m["embedding"] for m in movies], dtype=np.float64)
matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
pos = matrix[[titles.index(t) for t in liked]]
neg = matrix[[titles.index(t) for t in disliked]]
if strategy == "average":
    query = pos.mean(axis=0)
    if len(neg):
        query = 2 * query - neg.mean(axis=0)
    scores = matrix @ (query / np.linalg.norm(query))
else:
    sig = lambda x: (x / (1 + np.abs(x)) + 1) / 2
    best_pos = (matrix @ pos.T).max(axis=1) if len(pos) else np.full(len(titles), -np.inf)
    best_neg = (matrix @ neg.T).max(axis=1) if len(neg) else np.full(len(titles), -np.inf)
    scores = np.where(best_pos > best_neg, sig(best_pos), -sig(best_neg))
for t in liked + disliked:
    scores[titles.index(t)] = -np.inf
order = np.argsort(-scores, kind="stable")[:k]
print(json.dumps([[titles[j], float(scores[j])] for j in order], ensure_ascii=False))
