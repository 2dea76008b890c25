"""The foundation's acceptance checks on the real seed catalog, through the real binary."""
# cinerec-test: both-stores
import json
import subprocess
import sys

from cinerec_test import SEED_DIR, SOURCE_DIR, CinerecTestCase, digest, main, query, run, run_json

WWII_FILMS = {"Casablanca", "La lista de Schindler", "La vida es bella", "Salvar al soldado Ryan", "El pianista",
              "El puente sobre el río Kwai", "Dunkerque", "El discurso del rey"}


class SeedCatalog(CinerecTestCase):
    def test_import_summary_and_idempotent_reimport(self):
        db = self.new_db("c")
        first = run("import", SEED_DIR / "movie_descriptions.json", db=db)
        self.assertIn("83 movies (83 added, 0 updated, 0 unchanged)", first.stdout)
        # Known defects are reported as warnings with file:line (record N).
        self.assertIn("(record 8): poster m_2001 is empty", first.stderr)
        self.assertIn("(record 74): year 1917 equals the title", first.stderr)
        again = run("import", SEED_DIR / "movie_descriptions.json", db=db)
        self.assertIn("(0 added, 0 updated, 83 unchanged)", again.stdout)

    def test_import_warns_about_duplicate_films_and_keeps_them(self):
        db = self.new_db("c")
        first = run("import", SEED_DIR / "movie_descriptions.json", db=db)
        self.assertIn("83 movies (83 added", first.stdout)
        dupes = [line for line in first.stderr.splitlines() if "possible duplicate" in line]
        self.assertEqual(len(dupes), 2, first.stderr)
        for a, b in [("El club de los poetas muertos", "La sociedad de los poetas muertos"),
                     ("El gran truco", "El prestigio")]:
            self.assertTrue(any(f'"{a}"' in d and f'"{b}"' in d for d in dupes) or
                            any(f'"{b}"' in d and f'"{a}"' in d for d in dupes), dupes)
        self.assertTrue(all(d.startswith("warning: ") and "both kept" in d for d in dupes), dupes)
        # With the vectors stored, a re-import reports them with the vector evidence too.
        run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=db)
        again = run("import", SEED_DIR / "movie_descriptions.json", db=db)
        dupes = [line for line in again.stderr.splitlines() if "possible duplicate" in line]
        self.assertEqual(len(dupes), 2, again.stderr)
        self.assertTrue(all("vectors 0." in d for d in dupes), dupes)
        # A new file is checked against the whole catalog: a third title of a seed film is reported,
        # an unrelated film is not.
        with open(SEED_DIR / "movie_descriptions.json", encoding="utf-8") as f:
            seed = {m["title"]: m for m in json.load(f)}
        extra = self.tmp / "extra.jsonl"
        pianist = dict(seed["El pianista"], title="El pianista de Varsovia")
        other = {"title": "Una película nueva", "description": "Dos hermanos abren una panadería en un pueblo de la costa.",
                 "genre": "Comedia", "year": "2024"}
        extra.write_text(json.dumps(pianist, ensure_ascii=False) + "\n" + json.dumps(other, ensure_ascii=False) + "\n",
                         encoding="utf-8")
        third = run("import", extra, db=db)
        dupes = [line for line in third.stderr.splitlines() if "possible duplicate" in line]
        self.assertEqual(len(dupes), 1, third.stderr)
        self.assertIn('"El pianista" (2002) and "El pianista de Varsovia" (2002)', dupes[0])
        self.assertIn("2 movies (2 added", third.stdout)
        quiet = run("import", extra, "--quiet", db=db)
        self.assertNotIn("possible duplicate", quiet.stderr)

    def test_many_duplicates_are_summarized_after_a_screenful(self):
        # 30 films each entered twice (same year, the same plot): 20 warnings, then a count.
        words = ["faro", "desierto", "tormenta", "circo", "volcán", "submarino", "dragón", "payaso", "espía", "reina",
                 "mina", "palacio", "selva", "robot", "fantasma", "granja", "museo", "hotel", "teatro", "puerto",
                 "castillo", "mercado", "frontera", "biblioteca", "laboratorio", "aldea", "nave", "piano", "tren",
                 "bosque"]
        lines = []
        for i, w in enumerate(words):
            plot = f"Un {w} {words[(i + 7) % 30]} guarda el secreto de {words[(i + 13) % 30]} y {words[(i + 19) % 30]}."
            for title in (f"Película {i}", f"Película {i} (montaje del director)"):
                lines.append(json.dumps({"title": title, "description": plot, "genre": "Drama", "year": 1990 + i},
                                        ensure_ascii=False))
        catalog = self.tmp / "twice.jsonl"
        catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
        db = self.new_db("c")
        out = run("import", catalog, db=db)
        dupes = [line for line in out.stderr.splitlines() if "possible duplicate:" in line]
        self.assertEqual(len(dupes), 20, out.stderr)
        self.assertIn("warning: and 10 more possible duplicates (30 in all); cinerec duplicates lists them", out.stderr)
        listed = run("duplicates", db=db)
        self.assertEqual(sum("(montaje del director)" in line for line in listed.stdout.splitlines()), 30, listed.stdout)

    def test_similar_matches_numpy_reference(self):
        db = self.seeded_db()
        for title in ["Salvar al soldado Ryan", "El padrino", "Matrix", "El pianista"]:
            # Plain cosine ranking: the reference knows nothing of near-duplicate hiding.
            ours = run_json("similar", title, "-k", "10", "--all-duplicates", db=db)["results"]
            ref = json.loads(subprocess.run(
                [sys.executable, str(SOURCE_DIR / "tests/integration/reference_cosine.py"),
                 str(SEED_DIR / "movie_descriptions_embeddings.json"), title, "10"],
                capture_output=True, text=True, check=True).stdout)
            self.assertEqual([r["title"] for r in ours], [t for t, _ in ref], title)
            for r, (_, score) in zip(ours, ref):
                self.assertAlmostEqual(r["score"], score, delta=1e-5)

    def test_acceptance_similar(self):
        db = self.seeded_db()
        ryan = run_json("similar", "Salvar al soldado Ryan", db=db)["results"]
        self.assertEqual(ryan[0]["title"], "La lista de Schindler")
        self.assertAlmostEqual(ryan[0]["score"], 0.589, delta=0.001)
        self.assertEqual(run_json("similar", "el PADRINO", db=db)["results"][0]["title"], "El padrino II")

    def test_offline_prompts(self):
        db = self.seeded_db()
        pianist = run_json("recommend", "película de un pianista", db=db)
        self.assertEqual(pianist["provider"], "offline")
        self.assertEqual(pianist["results"][0]["title"], "El pianista")
        self.assertTrue(any("no embedding provider chosen" in n for n in pianist["notices"]), pianist["notices"])
        table = run("recommend", "película de un pianista", "-k", "2", db=db).stdout
        self.assertIn("note: offline ranking (bm25+text-embedding-3-small): no embedding provider chosen", table)
        war = run_json("recommend", "película de la segunda guerra mundial", "-k", "5", db=db)["results"]
        self.assertEqual(len(war), 5)
        self.assertTrue({r["title"] for r in war} <= WWII_FILMS, [r["title"] for r in war])

    def test_json_shape(self):
        db = self.seeded_db()
        out = run_json("recommend", "ciencia ficción", "-k", "3", db=db)
        self.assertEqual(list(out)[:4], ["query", "provider", "model", "results"])
        self.assertEqual(len(out["results"]), 3)
        self.assertEqual(set(out["results"][0]), {"id", "title", "score", "genres", "year", "poster"})
        scores = [r["score"] for r in out["results"]]
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_words_only_without_vectors(self):
        db = self.seeded_db(with_vectors=False)
        out = run_json("recommend", "película de un pianista", db=db)
        self.assertEqual(out["model"], "bm25")
        self.assertEqual(out["results"][0]["title"], "El pianista")

    def test_cinerec_db_names_the_store_and_db_overrides_it(self):
        db = self.new_db("by_env")
        other = self.new_db("by_flag")
        env = {"CINEREC_DB": str(db)}
        self.assertIn("83 added", run("import", SEED_DIR / "movie_descriptions.json", "--quiet", env=env).stdout)
        self.assertEqual(query(db, "SELECT COUNT(*) FROM movies"), [(83,)])
        out = json.loads(run("recommend", "película de un pianista", "--json", env=env).stdout)
        self.assertEqual(out["results"][0]["title"], "El pianista")
        # --db wins over the environment: the other store is new, so it imports all 83 again.
        before = digest(db)
        self.assertIn("83 added", run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=other, env=env).stdout)
        self.assertEqual(query(other, "SELECT COUNT(*) FROM movies"), [(83,)])
        self.assertEqual(digest(db), before)
        self.assertIn("83 unchanged", run("import", SEED_DIR / "movie_descriptions.json", "--quiet", env=env).stdout)

    def test_check_embeddings(self):
        db = self.seeded_db()
        out = run("check-embeddings", "--title", "matrix", db=db).stdout
        self.assertIn("model text-embedding-3-small  dim 1536  norm 1.0000", out)
        first = json.loads(run("check-embeddings", "--index", "1", "--json", db=db).stdout)
        self.assertEqual(first["title"], "Ciudadano Kane")
        self.assertEqual(len(first["vectors"][0]["first_values"]), 5)

    def test_genres_normalized(self):
        db = self.seeded_db(with_vectors=False)
        out = run_json("recommend", "club de la pelea", "-k", "1", db=db)["results"][0]
        self.assertEqual(out["title"], "El club de la pelea")
        self.assertEqual(out["genres"], ["Drama", "Suspenso", "Comedia"])


if __name__ == "__main__":
    main()
