"""Ranking options end to end: near-duplicates (listed, hidden by default), MMR diversity, explanations,
filters that still fill k."""
# cinerec-test: both-stores
from cinerec_test import CinerecTestCase, main, run, run_json

POETS = {"El club de los poetas muertos", "La sociedad de los poetas muertos"}
MAGICIANS = {"El gran truco", "El prestigio"}
GODFATHERS = {"El padrino", "El padrino II", "El padrino III"}


def titles(result):
    return [r["title"] for r in result["results"]]


class RankingTest(CinerecTestCase):
    @classmethod
    def setUpClass(cls):
        cls.shared = CinerecTestCase()
        cls.shared.setUp()
        cls.db = cls.shared.seeded_db()

    @classmethod
    def tearDownClass(cls):
        cls.shared.tearDown()

    def test_duplicates_lists_exactly_the_two_known_pairs(self):
        pairs = run_json("duplicates", db=self.db)["duplicates"]
        self.assertEqual([{p["a"]["title"], p["b"]["title"]} for p in pairs], [POETS, MAGICIANS])
        for p in pairs:
            self.assertGreater(p["vector_cosine"], 0.75)
            self.assertGreater(p["text_cosine"], 0.3)
        human = run("duplicates", db=self.db).stdout
        self.assertIn("El prestigio", human)

    def test_recommendations_show_one_film_of_each_duplicate_pair_by_default(self):
        prompt = "un profesor de literatura inspira a sus alumnos con la poesía"
        default = titles(run_json("recommend", prompt, "-k", "5", db=self.db))
        self.assertEqual(len(POETS & set(default)), 1, default)
        self.assertEqual(len(default), 5)
        everything = titles(run_json("recommend", prompt, "-k", "5", "--all-duplicates", db=self.db))
        self.assertEqual(POETS & set(everything), POETS, everything)

    def test_similar_never_offers_the_same_film_under_another_title(self):
        default = titles(run_json("similar", "El gran truco", "-k", "5", db=self.db))
        self.assertNotIn("El prestigio", default)
        everything = titles(run_json("similar", "El gran truco", "-k", "5", "--all-duplicates", db=self.db))
        self.assertEqual(everything[0], "El prestigio")

    def test_diversity_breaks_up_a_saga(self):
        plain = titles(run_json("recommend", "mafia", "-k", "4", db=self.db))
        self.assertEqual(set(plain[:3]), GODFATHERS, plain)
        diverse = titles(run_json("recommend", "mafia", "-k", "4", "--diversity", "0.7", db=self.db))
        self.assertEqual(diverse[0], plain[0])  # the best match stays first
        self.assertEqual(len(GODFATHERS & set(diverse)), 1, diverse)
        self.assertEqual(len(diverse), 4)
        bad = run("recommend", "mafia", "--diversity", "1.5", db=self.db, check=False)
        self.assertNotEqual(bad.returncode, 0)

    def test_explanations_in_json_and_text(self):
        result = run_json("recommend", "algo de miedo de los 70", "-k", "3", "--explain", db=self.db)
        self.assertTrue(any("Terror" in line for line in result["understood"]), result["understood"])
        self.assertTrue(any("1970" in line for line in result["understood"]), result["understood"])
        top = result["results"][0]
        self.assertEqual(top["title"], "El exorcista")
        self.assertEqual(top["explain"]["intent"], 1.0)
        self.assertIn("terror", top["explain"]["matched_terms"])
        self.assertIn("terror", top["explain"]["matched_words"])
        for r in result["results"]:
            self.assertEqual(set(r["explain"]), {"lexical", "vector", "intent", "matched_terms", "matched_words", "near"})
        plain = run_json("recommend", "algo de miedo", "-k", "3", db=self.db)
        self.assertNotIn("explain", plain["results"][0])
        self.assertNotIn("understood", plain)
        text = run("recommend", "algo de miedo", "-k", "3", "--explain", db=self.db).stdout
        self.assertIn("understood: 'miedo' -> genre Terror", text)
        self.assertIn("why #1:", text)
        near = run_json("similar", "El padrino", "-k", "1", "--explain", db=self.db)
        self.assertEqual(near["results"][0]["explain"]["near"], "El padrino")

    def test_filters_are_applied_before_top_k(self):
        dramas = run_json("recommend", "una historia de guerra", "-k", "10", "--genre", "Drama", db=self.db)
        self.assertEqual(len(dramas["results"]), 10)
        for r in dramas["results"]:
            self.assertIn("Drama", r["genres"])
        eighties = run_json("recommend", "amor", "-k", "5", "--year-from", "1980", "--year-to", "1989", db=self.db)
        self.assertEqual(len(eighties["results"]), 5)
        for r in eighties["results"]:
            self.assertTrue(1980 <= r["year"] <= 1989)


if __name__ == "__main__":
    main()
