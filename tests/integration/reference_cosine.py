"""Independent reference for movie-to-movie similarity: cosine with numpy over the seed's vectors.

Usage: reference_cosine.py EMBEDDINGS_JSON TITLE K  -> JSON list of [title, score]
Shares no code with cinerec: it reads the original JSON file directly."""
import json
import sys

import numpy as np

path, title, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
movies = json.load(open(path, encoding="utf-8"))
titles = [m["title"] for m in movies]
matrix = np.array([m["embedding"] for m in movies], dtype=np.float64)
matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
i = titles.index(title)
scores = matrix @ matrix[i]
scores[i] = -np.inf
order = np.argsort(-scores, kind="stable")[:k]
print(json.dumps([[titles[j], float(scores[j])] for j in order], ensure_ascii=False))
