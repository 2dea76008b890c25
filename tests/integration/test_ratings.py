"""Rating histories through the real binary: import-ratings with links, bad rows, idempotent re-import,
recommend --user and eval-ratings on a small fixture with a known answer. Runs on both stores."""
# cinerec-test: both-stores
import json

from cinerec_test import CinerecTestCase, main, run, run_json


class Ratings(CinerecTestCase):
    def setUp(self):
        super().setUp()
        self.db = self.new_db("ratings")
        catalog = ["id,title,overview,genres,release_date"]
        for i in range(1, 26):
            catalog.append(f"{1000 + i},Movie {i},A story number {i} about people,Drama,{1980 + i}-01-01")
        (self.tmp / "catalog.csv").write_text("\n".join(catalog) + "\n")
        run("import", self.tmp / "catalog.csv", "--quiet", db=self.db)
        # MovieLens ids 1..25 link to TMDB ids 1001..1025; 99 links to a film the catalog lacks.
        links = ["movieId,imdbId,tmdbId"] + [f"{i},{i:07d},{1000 + i}" for i in range(1, 26)] + ["99,0000099,5"]
        (self.tmp / "links.csv").write_text("\r\n".join(links) + "\r\n")
        # Users 1 and 2 rate movies 1..12 with 3 (not liked), then each likes one film last; user 3 likes
        # nothing. Leave-last-liked-out holds out 20 (user 1) and 25 (user 2). Popularity after the split:
        # 1..12 → 3 ratings each, the rest 0, so user 1's 20 ranks 8th among unrated films (13..19 win
        # ties by lower row) and user 2's 25 ranks 13th: popularity hit@10 = 0.5, NDCG@10 = 1/log2(9)/2.
        rows = ["userId,movieId,rating,timestamp"]
        for user in (1, 2, 3):
            rows += [f"{user},{m},3.0,{m}" for m in range(1, 13)]
        rows += ["1,20,5.0,100", "2,25,4.5,100", "3,99,4.0,100", "3,77,4.0,101"]
        (self.tmp / "ratings.csv").write_text("\r\n".join(rows) + "\r\n")

    def test_import_summary_and_idempotent_reimport(self):
        out = run("import-ratings", self.tmp / "ratings.csv", "--links", self.tmp / "links.csv", db=self.db).stdout
        self.assertIn("40 rows, 38 ratings by 3 users (38 added, 0 updated, 0 unchanged)", out)
        self.assertIn("unmatched: 2 rows (1 without a link, 1 of movies not in the catalog)", out)
        self.assertIn("trained the personal model on 25 movies", out)
        again = run("import-ratings", self.tmp / "ratings.csv", "--links", self.tmp / "links.csv", db=self.db).stdout
        self.assertIn("(0 added, 0 updated, 38 unchanged)", again)

    def test_bad_rows_are_refused_with_file_line_and_change_nothing(self):
        run("import-ratings", self.tmp / "ratings.csv", "--links", self.tmp / "links.csv", db=self.db)
        bad = self.tmp / "bad.csv"
        bad.write_text("userId,movieId,rating,timestamp\n1,1,5.0,200\n1,2,7,200\n")
        self.assertFails(run("import-ratings", bad, "--links", self.tmp / "links.csv", db=self.db, check=False),
                         f"{bad}:3: rating \"7\" is not a number from 0.5 to 5")
        missing = self.tmp / "missing.csv"
        missing.write_text("userId,movieId,rating\n1,1,5.0\n")
        self.assertFails(run("import-ratings", missing, db=self.db, check=False), "no \"timestamp\" column")
        self.assertFails(run("import-ratings", self.tmp / "ratings.csv", db=self.db, check=False),
                         "none of the 40 ratings matches", "--links")
        # Nothing changed: the stored rating of user 1 for movie 1 is still 3.0 (the model is unchanged too).
        again = run("import-ratings", self.tmp / "ratings.csv", "--links", self.tmp / "links.csv", db=self.db).stdout
        self.assertIn("(0 added, 0 updated, 38 unchanged)", again)

    def test_recommend_for_a_user(self):
        run("import-ratings", self.tmp / "ratings.csv", "--links", self.tmp / "links.csv", db=self.db)
        out = run_json("recommend", "--user", "1", "-k", "5", db=self.db)
        self.assertEqual(out["provider"], "personal")
        titles = [r["title"] for r in out["results"]]
        self.assertEqual(len(titles), 5)
        rated = {f"Movie {m}" for m in list(range(1, 13)) + [20]}
        self.assertFalse(rated & set(titles))
        for r in out["results"]:
            self.assertEqual(r["closest_liked"]["title"], "Movie 20")  # the only film user 1 liked
        self.assertFails(run("recommend", "--user", "42", db=self.db, check=False), "user 42 has no ratings")
        self.assertFails(run("recommend", "hola", "--user", "1", db=self.db, check=False), "--user")

    def test_recommend_user_needs_a_trained_model(self):
        run("import-ratings", self.tmp / "ratings.csv", "--links", self.tmp / "links.csv", "--no-train", db=self.db)
        self.assertFails(run("recommend", "--user", "1", db=self.db, check=False), "cinerec train")
        self.assertIn("trained the personal model", run("train", db=self.db).stdout)
        self.assertEqual(len(run_json("recommend", "--user", "2", "-k", "3", db=self.db)["results"]), 3)

    def test_eval_ratings_known_answer(self):
        run("import-ratings", self.tmp / "ratings.csv", "--links", self.tmp / "links.csv", db=self.db)
        out = json.loads(run("eval-ratings", "--json", db=self.db).stdout)
        self.assertEqual(out["users"], 2)
        self.assertEqual(set(out["results"]), {"popularity", "content", "item-knn", "ease", "hybrid"})
        self.assertEqual(out["results"]["popularity"]["hit@10"], 0.5)
        self.assertAlmostEqual(out["results"]["popularity"]["ndcg@10"], 0.5 / 3.169925, delta=1e-4)
        table = run("eval-ratings", db=self.db).stdout
        self.assertIn("hit@10", table)


if __name__ == "__main__":
    main()
