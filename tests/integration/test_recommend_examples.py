"""cinerec recommend with --like / --dislike on the seed catalog, checked against a numpy reference."""
# cinerec-test: both-stores
import json
import subprocess
import sys

from cinerec_test import SEED_DIR, SOURCE_DIR, CinerecTestCase, main, run, run_json


def reference(strategy, k, liked, disliked):
    out = subprocess.run(
        [sys.executable, str(SOURCE_DIR / "tests/integration/reference_examples.py"),
         str(SEED_DIR / "movie_descriptions_embeddings.json"), strategy, str(k), "|".join(liked), "|".join(disliked)],
        capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def example_args(liked, disliked):
    args = []
    for t in liked:
        args += ["--like", t]
    for t in disliked:
        args += ["--dislike", t]
    return args


class RecommendFromExamples(CinerecTestCase):
    def test_both_strategies_match_reference(self):
        db = self.seeded_db()
        cases = [
            (["El padrino"], []),
            (["Salvar al soldado Ryan", "Matrix"], ["El pianista"]),
            ([], ["El rey león"]),
        ]
        for strategy in ["average", "best-score"]:
            for liked, disliked in cases:
                if strategy == "average" and not liked:
                    continue
                ours = run_json("recommend", *example_args(liked, disliked), "--strategy", strategy, "-k", "10",
                                db=db)["results"]
                ref = reference(strategy, 10, liked, disliked)
                self.assertEqual([r["title"] for r in ours], [t for t, _ in ref], (strategy, liked, disliked))
                for r, (_, score) in zip(ours, ref):
                    self.assertAlmostEqual(r["score"], score, delta=1e-5)
                returned = {r["title"] for r in ours}
                self.assertFalse(returned & set(liked + disliked))

    def test_liked_neighbours_rise_disliked_neighbours_fall(self):
        db = self.seeded_db()
        liked = run_json("recommend", "--like", "El padrino", "-k", "3", db=db)["results"]
        self.assertEqual(liked[0]["title"], "El padrino II")
        self.assertEqual(liked[0]["closest_liked"]["title"], "El padrino")
        # Disliking the sequel's twin sends the sequel down.
        plain = [r["title"] for r in run_json("recommend", "--like", "Los intocables", "-k", "80", db=db)["results"]]
        pushed = [r["title"] for r in run_json("recommend", "--like", "Los intocables", "--dislike", "El padrino",
                                               "-k", "80", db=db)["results"]]
        self.assertGreater(pushed.index("El padrino II"), plain.index("El padrino II"))
        self.assertNotIn("El padrino", pushed)

    def test_each_result_names_its_closest_liked_movie(self):
        db = self.seeded_db()
        out = run_json("recommend", "--like", "El padrino", "--like", "Matrix", "-k", "10", db=db)["results"]
        for r in out:
            self.assertIn(r["closest_liked"]["title"], {"El padrino", "Matrix"})
        self.assertEqual(next(r for r in out if r["title"] == "El padrino II")["closest_liked"]["title"], "El padrino")
        table = run("recommend", "--like", "El padrino", "-k", "3", db=db).stdout
        self.assertIn("closest liked", table.splitlines()[0])

    def test_prompt_with_examples_offline(self):
        db = self.seeded_db()
        out = run_json("recommend", "película de la segunda guerra mundial", "--dislike", "La lista de Schindler",
                       "-k", "5", db=db)
        self.assertEqual(out["provider"], "offline")
        titles = [r["title"] for r in out["results"]]
        self.assertEqual(len(titles), 5)
        self.assertNotIn("La lista de Schindler", titles)

    def test_bad_examples(self):
        db = self.seeded_db()
        self.assertFails(run("recommend", "--like", "Matrx", db=db, check=False), "Matrix")
        self.assertFails(run("recommend", "--like", "Matrix", "--dislike", "matrix", db=db, check=False),
                         "both liked and disliked")
        self.assertFails(run("recommend", "--dislike", "Matrix", db=db, check=False), "best-score")
        self.assertFails(run("recommend", "--like", "Matrix", "--strategy", "median", db=db, check=False),
                         "unknown strategy")

    def test_examples_need_vectors(self):
        no_vectors = self.seeded_db(with_vectors=False)
        self.assertFails(run("recommend", "--like", "Matrix", db=no_vectors, check=False), "no embedding vectors")


if __name__ == "__main__":
    main()
