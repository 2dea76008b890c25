"""TMDB's tagline and keywords columns: imported from a CSV shaped like tmdb_5000_movies.csv (JSON
lists of {"id", "name"} objects), stored, searched with the description, shown by the API, and changed
by a re-import like any other field. Vectors files keyed by TMDB id (or title) go with the import."""
# cinerec-test: both-stores
import csv
import json

from cinerec_test import STORE, CinerecTestCase, digest, main, run, run_json
from server_helper import Server, request

HEADER = ["budget", "genres", "id", "keywords", "overview", "release_date", "tagline", "title"]


def tmdb_list(*names):
    return json.dumps([{"id": i + 1, "name": n} for i, n in enumerate(names)])


ROWS = [
    ["19000000", tmdb_list("Adventure", "Comedy"), "105", tmdb_list("time travel", "delorean", "skateboarding"),
     "Marty McFly is accidentally sent thirty years into the past.", "1985-07-03",
     "He's the only kid ever to get into trouble before he was born.", "Back to the Future"],
    ["1000000", tmdb_list("Drama"), "1366", tmdb_list("boxing", "philadelphia"),
     "A small-time fighter gets a shot at the heavyweight champion.", "1976-11-21",
     "His whole life was a million-to-one shot.", "Rocky"],
    ["2000000", tmdb_list("Horror"), "578", tmdb_list("shark", "beach"),
     "A police chief hunts a great white that preys on a beach town.", "1975-06-18", "", "Jaws"],
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)


class CatalogKeywords(CinerecTestCase):
    def setUp(self):
        super().setUp()
        self.csv = self.tmp / "tmdb.csv"
        write_csv(self.csv, ROWS)
        self.db = self.new_db("kw")
        out = run("import", self.csv, "--quiet", db=self.db)
        self.assertIn("3 movies (3 added, 0 updated, 0 unchanged)", out.stdout)

    def test_keywords_and_tagline_are_searched(self):
        # Neither "delorean" nor "trouble" nor "philadelphia" occurs in a title or an overview.
        for prompt, expected in (("a movie with a delorean", "Back to the Future"),
                                 ("trouble before he was born", "Back to the Future"),
                                 ("a fighter from philadelphia", "Rocky")):
            results = run_json("recommend", prompt, "-k", 1, db=self.db)["results"]
            self.assertEqual([r["title"] for r in results], [expected], prompt)

    def test_api_shows_them_and_a_reimport_updates_them(self):
        server = Server(self.db, self.tmp)
        try:
            status, _, body = request(server.url + "/api/movies?q=Back")
            self.assertEqual(status, 200)
            movie = json.loads(body)["results"][0]
            self.assertEqual(movie["keywords"], ["time travel", "delorean", "skateboarding"])
            self.assertEqual(movie["tagline"], "He's the only kid ever to get into trouble before he was born.")
            status, _, body = request(server.url + f"/api/movies/{movie['id']}")
            self.assertEqual(json.loads(body)["keywords"][0], "time travel")
            status, _, body = request(server.url + "/api/movies?q=Jaws")
            jaws = json.loads(body)["results"][0]
            self.assertNotIn("tagline", jaws)  # an empty tagline is left out
            self.assertEqual(jaws["keywords"], ["shark", "beach"])
        finally:
            server.stop()

        changed = [row[:] for row in ROWS]
        changed[2][3] = tmdb_list("shark", "beach", "amity island")
        write_csv(self.csv, changed)
        out = run("import", self.csv, "--quiet", db=self.db)
        self.assertIn("3 movies (0 added, 1 updated, 2 unchanged)", out.stdout)
        results = run_json("recommend", "amity island", "-k", 1, db=self.db)["results"]
        self.assertEqual([r["title"] for r in results], ["Jaws"])

    def test_vectors_keyed_by_id_or_title_come_with_the_import(self):
        vectors = self.tmp / "vectors.jsonl"
        rows = [{"id": 105, "embedding": [1.0, 0.0, 0.1]},              # Back to the Future, by TMDB id
                {"id": "1366", "embedding": [0.9, 0.1, 0.0]},           # Rocky, id as a string
                {"title": "Jaws", "embedding": [0.0, 0.0, 1.0]}]        # by title
        vectors.write_text("".join(json.dumps(r) + "\n" for r in rows))
        out = run("import", self.csv, "--vectors", vectors, "--model", "m3", "--quiet", db=self.db)
        self.assertIn("stored 3 vectors of model m3 (3 dimensions)", out.stdout)
        similar = run_json("similar", "Back to the Future", "-k", 2, "--model", "m3", db=self.db)["results"]
        self.assertEqual([r["title"] for r in similar], ["Rocky", "Jaws"])
        self.assertAlmostEqual(similar[0]["score"], 0.9 / (1.01 ** 0.5 * 0.82 ** 0.5), places=5)

        # An id the catalog does not have: the vectors are refused, named with file:line, and nothing
        # of them is stored (the movies are, and the message says so).
        unknown = self.tmp / "unknown.jsonl"
        unknown.write_text(json.dumps({"id": 105, "embedding": [0.0, 1.0, 0.0]}) + "\n" +
                           json.dumps({"id": 999999, "embedding": [0.0, 1.0, 0.0]}) + "\n")
        p = run("import", self.csv, "--vectors", unknown, "--model", "m3", db=self.db, check=False)
        self.assertFails(p, 'unknown.jsonl:2 (record 2): no movie has id "999999"', "nothing stored",
                         "the movies are imported")
        again = run_json("similar", "Back to the Future", "-k", 1, "--model", "m3", db=self.db)["results"]
        self.assertEqual(again[0]["title"], "Rocky")
        # A vectors file that is not even readable is refused before any movie is written.
        broken = self.tmp / "broken.jsonl"
        broken.write_text('{"id": 105, "embedding": [1, 2\n')
        fresh = self.new_db("fresh")
        empty = None if STORE == "sqlite" else digest(fresh)
        p = run("import", self.csv, "--vectors", broken, db=fresh, check=False)
        self.assertFails(p, "broken.jsonl:1", "nothing imported")
        if STORE == "sqlite":
            self.assertFalse(fresh.exists())
        else:
            self.assertEqual(digest(fresh), empty)

    def test_keywords_that_are_not_a_list_of_strings_are_refused(self):
        bad = self.tmp / "bad.jsonl"
        bad.write_text(json.dumps({"title": "X", "description": "y", "keywords": [{"name": 1}]}) + "\n")
        p = run("import", bad, db=self.db, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('bad.jsonl:1', p.stderr)
        self.assertIn('field "keywords" must be a string or a list of strings', p.stderr)


if __name__ == "__main__":
    main()
