"""cinerec index: the HNSW graph of a large catalog's vectors, persisted beside the store, used by
`similar` (which says which search it used), agreeing with the exact scan, rebuilt by the commands that
change vectors, and ignored (with a notice) when it no longer matches them."""
# cinerec-test: both-stores
import json
from pathlib import Path

from cinerec_test import STORE, CinerecTestCase, main, run

MOVIES, DIM = 25000, 16
PROBES = ("0", "777", "12345", "24999")


class VectorIndex(CinerecTestCase):
    def setUp(self):
        super().setUp()
        run("synth", "--movies", MOVIES, "--dim", DIM, "--format", "jsonl", "--seed", 11, "--out", self.tmp / "syn")
        self.db = self.new_db("ann")
        self.index = self.tmp / "catalog.hnsw"
        # Each process of a PostgreSQL deployment names its index file; for SQLite it defaults to DB.hnsw.
        self.env = {"CINEREC_VECTOR_INDEX": str(self.index)}
        run("import", self.tmp / "syn" / "catalog.jsonl", "--vectors", self.tmp / "syn" / "vectors.npy",
            "--model", "synthetic-16", "--quiet", db=self.db, env=self.env)
        with open(self.tmp / "syn" / "catalog.jsonl", encoding="utf-8") as f:
            self.titles = [json.loads(line)["title"] for line in f]

    def similar(self, title, *extra):
        out = run("similar", title, "-k", 10, "--json", *extra, db=self.db, env=self.env).stdout
        return json.loads(out)

    def test_index_is_used_agrees_with_the_scan_and_follows_changes(self):
        before = {p: self.similar(self.titles[int(p)]) for p in PROBES}
        for r in before.values():
            self.assertEqual(r["vector_search"], "exact")
            self.assertEqual(r["notices"], [])

        out = run("index", "--M", 12, "--ef-construction", 80, db=self.db, env=self.env).stdout
        self.assertIn(f"indexed {MOVIES} vectors of model synthetic-16", out)
        self.assertTrue(self.index.exists() and Path(str(self.index) + ".json").exists())

        agree = 0
        for p, exact in before.items():
            approx = self.similar(self.titles[int(p)])
            self.assertEqual(approx["vector_search"], "hnsw (ef 64)")
            self.assertEqual(approx["notices"], [])
            agree += len({r["id"] for r in approx["results"]} & {r["id"] for r in exact["results"]})
            forced = self.similar(self.titles[int(p)], "--vector-search", "exact")
            self.assertEqual(forced["vector_search"], "exact")
            self.assertEqual([r["id"] for r in forced["results"]], [r["id"] for r in exact["results"]])
        self.assertGreaterEqual(agree / (10 * len(PROBES)), 0.95)

        # An import that changes a description but no vector leaves the graph as it is.
        changed = self.tmp / "changed.jsonl"
        first = json.loads((self.tmp / "syn" / "catalog.jsonl").read_text(encoding="utf-8").splitlines()[0])
        first["description"] += " Remasterizada."
        changed.write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
        out = run("import", changed, "--quiet", db=self.db, env=self.env).stdout
        self.assertIn("1 updated", out)
        self.assertIn(f"index unchanged: {MOVIES} vectors", out)
        self.assertEqual(self.similar(self.titles[1])["vector_search"], "hnsw (ef 64)")

        # New movies are inserted into the graph, not rebuilt: two near-identical new vectors find
        # each other through it.
        new = self.tmp / "new.jsonl"
        # Unrelated descriptions and years, so that no two are taken for duplicates of one film.
        plots = ("Un faro solitario resiste el temporal.", "Un tren nocturno cruza el desierto helado.",
                 "Una orquesta ensaya bajo la lluvia de otoño.")
        new.write_text("".join(json.dumps({"title": f"Película nueva {i}", "year": 2020 + i, "genre": "Drama",
                                           "description": plot}) + "\n"
                               for i, plot in enumerate(plots)), encoding="utf-8")
        direction = [0.0] * DIM
        direction[7] = 1.0
        nearly = list(direction)
        nearly[8] = 0.01
        other = [0.0] * DIM
        other[2] = 1.0
        new_vectors = self.tmp / "new_vectors.json"
        new_vectors.write_text(json.dumps([{"title": "Película nueva 0", "embedding": direction},
                                           {"title": "Película nueva 1", "embedding": other},
                                           {"title": "Película nueva 2", "embedding": nearly}]))
        out = run("import", new, "--vectors", new_vectors, "--model", "synthetic-16", "--quiet", db=self.db,
                  env=self.env).stdout
        self.assertIn(f"added 3 to the index: {MOVIES + 3} vectors", out)
        self.assertIn("(M 12, ef_construction 80)", out)
        found = self.similar("Película nueva 0")
        self.assertEqual(found["vector_search"], "hnsw (ef 64)")
        self.assertEqual(found["notices"], [])
        self.assertEqual(found["results"][0]["title"], "Película nueva 2")

        # A replaced vector is updated in place: the graph finds the movie at its new place.
        replaced = self.tmp / "replaced.json"
        replaced.write_text(json.dumps([{"title": self.titles[3], "embedding": other}]))
        out = run("add-embeddings", replaced, "--model", "synthetic-16", db=self.db, env=self.env).stdout
        self.assertIn(f"updated 1 in the index: {MOVIES + 3} vectors", out)
        self.assertIn("(M 12, ef_construction 80)", out)
        found = self.similar("Película nueva 1")
        self.assertEqual(found["vector_search"], "hnsw (ef 64)")
        self.assertEqual(found["results"][0]["title"], self.titles[3])

        # When more than a quarter of the vectors changed, the graph is rebuilt, with the parameters it
        # was built with.
        moved = self.tmp / "moved.jsonl"
        with open(self.tmp / "syn" / "catalog.jsonl", encoding="utf-8") as f:
            ids = [json.loads(line)["id"] for line in f]
        with open(moved, "w", encoding="utf-8") as f:
            for i in range(0, MOVIES, 3):
                v = [0.0] * DIM
                v[i % DIM] = 1.0
                v[(i * 7 + 3) % DIM] += 0.5
                f.write(json.dumps({"id": ids[i], "embedding": v}) + "\n")
        out = run("add-embeddings", moved, "--model", "synthetic-16", db=self.db, env=self.env).stdout
        self.assertIn(f"indexed {MOVIES + 3} vectors", out)
        self.assertIn("(M 12, ef_construction 80)", out)
        self.assertEqual(self.similar(self.titles[1])["vector_search"], "hnsw (ef 64)")

    def test_prompts_rank_the_graphs_candidates_and_agree_with_the_full_ranking(self):
        # Offline prompts: BM25 hits, their vectors' centroid and the cosine to it. Without a graph every
        # movie is scored; with one, the hits and the graph's nearest rows (and, for prompts naming a
        # genre or era, the nearest that fit it).
        prompts = ("un fantasma en el submarino", "la pianista y el castillo",
                   "una película de terror sobre la soledad", "un western de los años 90 en el desierto")

        def recommend(prompt, *extra):
            out = run("recommend", prompt, "-k", 10, "--json", *extra, db=self.db, env=self.env).stdout
            return json.loads(out)

        full = {p: recommend(p) for p in prompts}
        for r in full.values():
            self.assertEqual(r.get("vector_search", ""), "")
            self.assertEqual(len(r["results"]), 10)
        run("index", db=self.db, env=self.env)
        agree = 0
        for p, exact in full.items():
            approx = recommend(p)
            self.assertEqual(approx["vector_search"], "hnsw (ef 64) candidates")
            agree += len({r["id"] for r in approx["results"]} & {r["id"] for r in exact["results"]})
            forced = recommend(p, "--vector-search", "exact")
            self.assertEqual([r["id"] for r in forced["results"]], [r["id"] for r in exact["results"]])
        self.assertGreaterEqual(agree / (10 * len(prompts)), 0.95)

    def test_a_stale_or_missing_index_falls_back_to_the_scan(self):
        missing = self.similar(self.titles[5], "--vector-search", "hnsw")
        self.assertEqual(missing["vector_search"], "exact")
        self.assertIn("no HNSW index", missing["notices"][0])
        run("index", db=self.db, env=self.env)
        # Another process stores vectors without this index file in view: the graph is now stale.
        vectors = self.tmp / "one.json"
        vectors.write_text(json.dumps([{"title": self.titles[3], "embedding": [1.0] + [0.0] * (DIM - 1)}]))
        run("add-embeddings", vectors, "--model", "synthetic-16", db=self.db,
            env={"CINEREC_VECTOR_INDEX": str(self.tmp / "elsewhere.hnsw")})
        stale = self.similar(self.titles[5])
        self.assertEqual(stale["vector_search"], "exact")
        self.assertIn("was built from other vectors", stale["notices"][0])
        self.assertIn("cinerec index", stale["notices"][0])

    def test_default_index_path(self):
        p = run("index", db=self.db, check=False, env={"CINEREC_VECTOR_INDEX": ""})
        if STORE == "postgres":
            # Replicas share no file system: each must name its index file.
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("--vector-index", p.stderr)
        else:
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(Path(str(self.db) + ".hnsw").exists())
            self.assertIn(str(self.db) + ".hnsw", p.stdout)


if __name__ == "__main__":
    main()
