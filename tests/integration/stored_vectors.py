"""The seed's stored OpenAI vectors as an embedding provider, for measuring vector-only and hybrid
ranking without calling a real API (stdlib only).

The seed has text-embedding-3-small vectors for the 83 movie descriptions and for nothing else, so:

- a movie's description (whitespace collapsed) maps to its stored vector, exactly;
- a judged prompt of a dev set maps to a *simulated* prompt vector, because no real vector of it exists
  and none can be made offline. `simulated_prompt_vector` builds it from the judged answer: the unit
  mean of the relevant movies' stored vectors, t, turned away from t by a deterministic random
  direction n orthogonal to t (seeded by the prompt), q = f·t + sqrt(1 − f²)·n, so cos(q, t) = f exactly.
  The fidelity f says how well the simulated provider understood the prompt: f = 1 is an oracle, and in
  1536 dimensions f ≈ 0.1 already makes the vector alone miss often. This measures how the fusion
  behaves as the vector signal degrades; it is not a measurement of OpenAI on these prompts.
"""
import hashlib
import json
import math
import random
import unicodedata


def key(text):
    """Texts are looked up with whitespace collapsed (the OpenAI client replaces newlines by spaces)."""
    return " ".join(text.split())


def fold(text):
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def unit(v):
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v]


def load_seed_vectors(seed_dir):
    """{folded title: (description, unit vector)} from movie_descriptions_embeddings.json."""
    with open(seed_dir / "movie_descriptions_embeddings.json", encoding="utf-8") as f:
        records = json.load(f)
    return {fold(r["title"]): (r["description"], unit(r["embedding"])) for r in records}


def simulated_prompt_vector(prompt, relevant_vectors, fidelity):
    """q = f·t + sqrt(1 − f²)·n with t the unit mean of relevant_vectors and n a unit direction orthogonal
    to t drawn from a generator seeded by the prompt's SHA-256 (so every run gives the same vector)."""
    dim = len(relevant_vectors[0])
    t = unit([sum(v[d] for v in relevant_vectors) for d in range(dim)])
    rng = random.Random(int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:8], "little"))
    n = [rng.gauss(0.0, 1.0) for _ in range(dim)]
    along = sum(a * b for a, b in zip(n, t))
    n = unit([a - along * b for a, b in zip(n, t)])
    s = math.sqrt(max(0.0, 1.0 - fidelity * fidelity))
    return [fidelity * a + s * b for a, b in zip(t, n)]


def read_judged(tsv_path):
    """[(prompt, [relevant titles])] of a dev set."""
    cases = []
    for line in tsv_path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prompt, titles = line.split("\t", 1)
        cases.append((prompt.strip(), [t.strip() for t in titles.split("|") if t.strip()]))
    return cases


def build_table(seed_dir, judged_files, fidelity):
    """{key(text): vector} for every seed description and every prompt of the judged files."""
    seed = load_seed_vectors(seed_dir)
    table = {key(description): vector for description, vector in seed.values()}
    for path in judged_files:
        for prompt, titles in read_judged(path):
            relevant = [seed[fold(t)][1] for t in titles]
            table[key(prompt)] = simulated_prompt_vector(prompt, relevant, fidelity)
    return table


def lookup_in(table):
    return lambda text: table.get(key(text))
