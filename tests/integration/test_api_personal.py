"""Personal recommendations over real HTTP: POST/GET /api/recommend with liked and disliked movie ids
(checked against the independent numpy reference on the seed vectors) and
GET /api/users/{id}/recommendations from the trained personal model, with every error status."""
# cinerec-test: both-stores
import json
import tempfile
import unittest
import urllib.parse
from pathlib import Path

from cinerec_test import SEED_DIR, main, new_store, run
from server_helper import Server, request
from test_recommend_examples import reference  # the numpy reference, run as a separate process

STATE = {}


def ratings_fixture(tmp, name, import_ratings=True):
    """25 movies without vectors and three users (as in test_ratings.py): users 1 and 2 rate movies 1..12
    with 3.0, then user 1 likes Movie 20 and user 2 Movie 25. Returns the database (ratings imported and
    the model trained when `import_ratings`)."""
    db = new_store(tmp, name)
    catalog = ["id,title,overview,genres,release_date"]
    catalog += [f"{1000 + i},Movie {i},A story number {i} about people,Drama,{1980 + i}-01-01" for i in range(1, 26)]
    (tmp / "catalog.csv").write_text("\n".join(catalog) + "\n")
    run("import", tmp / "catalog.csv", "--quiet", db=db)
    (tmp / "links.csv").write_text("\n".join(["movieId,imdbId,tmdbId"] + [f"{i},{i:07d},{1000 + i}" for i in range(1, 26)]) + "\n")
    rows = ["userId,movieId,rating,timestamp"]
    for user in (1, 2, 3):
        rows += [f"{user},{m},3.0,{m}" for m in range(1, 13)]
    rows += ["1,20,5.0,100", "2,25,4.5,100"]
    (tmp / "ratings.csv").write_text("\n".join(rows) + "\n")
    if import_ratings:
        run("import-ratings", tmp / "ratings.csv", "--links", tmp / "links.csv", db=db)
    return db


def setUpModule():
    STATE["tmp"] = tempfile.TemporaryDirectory(prefix="cinerec-api-personal-")
    tmp = Path(STATE["tmp"].name)
    seed = tmp / "seed.db"
    run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=seed)
    run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=seed)
    STATE["seed"] = Server(seed, tmp)
    STATE["ratings"] = Server(ratings_fixture(tmp, "ratings"), tmp)
    STATE["titles"] = {}
    page = 1
    while True:
        status, _, raw = request(STATE["seed"].url + f"/api/movies?per_page=100&page={page}")
        assert status == 200, raw
        data = json.loads(raw)
        STATE["titles"].update({m["title"]: m["id"] for m in data["results"]})
        if page >= data["pages"]:
            break
        page += 1


def tearDownModule():
    for name in ("seed", "ratings"):
        if name in STATE:
            STATE[name].stop()
    STATE["tmp"].cleanup()


def ids(*titles):
    return [STATE["titles"][t] for t in titles]


def call(server, path, payload=None, method=None):
    """(status, JSON body) of a GET, or of a POST when `payload` is given (bytes are sent as they are)."""
    if payload is None:
        status, headers, raw = request(STATE[server].url + path, method=method or "GET")
    else:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        status, headers, raw = request(STATE[server].url + path, method=method or "POST", body=body,
                                       headers={"Content-Type": "application/json"})
    assert headers["Content-Type"].startswith("application/json"), (path, headers["Content-Type"])
    return status, json.loads(raw)


class ErrorShape:
    def assertError(self, got, status, code, *fragments):
        self.assertEqual(got[0], status, got[1])
        body = got[1]
        self.assertEqual(set(body), {"error"})
        self.assertEqual(body["error"]["code"], code, body)
        message = body["error"]["message"]
        self.assertTrue(message)
        self.assertNotIn("\n", message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return body["error"]


class RecommendFromExamples(unittest.TestCase):
    def test_both_strategies_match_the_numpy_reference(self):
        liked, disliked = ["Salvar al soldado Ryan", "Matrix"], ["El pianista"]
        for strategy in ("average", "best-score"):
            status, out = call("seed", "/api/recommend",
                               {"like": ids(*liked), "dislike": ids(*disliked), "strategy": strategy, "k": 10})
            self.assertEqual(status, 200, out)
            self.assertEqual(out["strategy"], strategy)
            self.assertEqual(out["provider"], "stored")
            ref = reference(strategy, 10, liked, disliked)
            self.assertEqual([r["title"] for r in out["results"]], [t for t, _ in ref], strategy)
            for r, (_, score) in zip(out["results"], ref):
                self.assertAlmostEqual(r["score"], score, delta=1e-5)

    def test_each_result_names_the_liked_movie_it_is_closest_to(self):
        padrino, matrix = ids("El padrino", "Matrix")
        status, out = call("seed", "/api/recommend", {"like": [padrino, matrix], "k": 10})
        self.assertEqual(status, 200, out)
        self.assertEqual(len(out["results"]), 10)
        for r in out["results"]:
            closest = r["closest_liked"]
            self.assertEqual(set(closest), {"id", "title", "similarity"})
            self.assertIn(closest["id"], {padrino, matrix})
            self.assertTrue(-1.0 <= closest["similarity"] <= 1.0)
            self.assertEqual(r["poster"], f"/posters/{r['id']}")
            self.assertTrue(r["description"])
        sequel = next(r for r in out["results"] if r["title"] == "El padrino II")
        self.assertEqual(sequel["closest_liked"], {"id": padrino, "title": "El padrino",
                                                   "similarity": sequel["closest_liked"]["similarity"]})
        self.assertGreater(sequel["closest_liked"]["similarity"], 0.5)

    def test_liked_and_disliked_movies_are_never_returned(self):
        liked, disliked = ids("El padrino", "Matrix"), ids("El rey león")
        for strategy in ("average", "best-score"):
            status, out = call("seed", "/api/recommend", {"like": liked, "dislike": disliked, "strategy": strategy, "k": 50})
            self.assertEqual(status, 200, out)
            returned = {r["id"] for r in out["results"]}
            self.assertEqual(len(returned), 50)
            self.assertFalse(returned & set(liked + disliked), strategy)

    def test_a_disliked_movie_pushes_its_neighbours_down(self):
        # El pianista is 6th for Salvar al soldado Ryan alone; disliking La lista de Schindler (its close
        # neighbour) sends it far down with average and out of the 50 with best-score (closer to the dislike).
        liked, disliked = ids("Salvar al soldado Ryan"), ids("La lista de Schindler")
        ranked = lambda payload: [r["title"] for r in call("seed", "/api/recommend", {**payload, "k": 50})[1]["results"]]
        plain = ranked({"like": liked})
        self.assertLess(plain.index("El pianista"), 10)
        self.assertGreater(ranked({"like": liked, "dislike": disliked}).index("El pianista"), 20)
        self.assertNotIn("El pianista", ranked({"like": liked, "dislike": disliked, "strategy": "best-score"}))

    def test_get_with_repeated_ids_answers_as_post(self):
        liked, disliked = ids("El padrino", "Matrix"), ids("El pianista")
        query = urllib.parse.urlencode([("like", i) for i in liked] + [("dislike", i) for i in disliked] +
                                       [("strategy", "best-score"), ("k", "7")])
        status, got = call("seed", "/api/recommend?" + query)
        self.assertEqual(status, 200, got)
        _, posted = call("seed", "/api/recommend", {"like": liked, "dislike": disliked, "strategy": "best-score", "k": 7})
        self.assertEqual(got, posted)
        self.assertEqual(len(got["results"]), 7)

    def test_prompt_is_optional_and_joins_as_a_liked_example(self):
        (schindler,) = ids("La lista de Schindler")
        status, alone = call("seed", "/api/recommend", {"prompt": "", "like": [schindler], "k": 5})
        self.assertEqual(status, 200, alone)
        self.assertEqual(alone["query"], "like: La lista de Schindler")
        status, both = call("seed", "/api/recommend",
                            {"prompt": "película de un pianista", "like": [schindler], "k": 5})
        self.assertEqual(status, 200, both)
        self.assertEqual(both["provider"], "offline")
        self.assertTrue(both["query"].startswith("película de un pianista; like: "), both["query"])
        self.assertEqual(both["results"][0]["title"], "El pianista")
        self.assertNotEqual([r["id"] for r in alone["results"]], [r["id"] for r in both["results"]])

    def test_filters_apply_to_examples(self):
        status, out = call("seed", "/api/recommend", {"like": ids("Matrix"), "genre": "Bélico", "k": 5})
        self.assertEqual(status, 200, out)
        self.assertTrue(out["results"])
        for r in out["results"]:
            self.assertIn("Bélico", r["genres"])

    def test_only_dislikes_need_best_score(self):
        dislike = ids("El rey león")
        status, out = call("seed", "/api/recommend", {"dislike": dislike, "strategy": "best-score", "k": 5})
        self.assertEqual(status, 200, out)
        self.assertTrue(all("closest_liked" not in r for r in out["results"]))


class ExampleErrors(unittest.TestCase, ErrorShape):
    def test_unknown_ids_name_the_id(self):
        error = self.assertError(call("seed", "/api/recommend", {"like": ids("Matrix") + [987654]}),
                                 422, "unknown_movie", "987654", "like")
        self.assertEqual(error["id"], 987654)
        error = self.assertError(call("seed", "/api/recommend?dislike=424242"), 422, "unknown_movie", "424242", "dislike")
        self.assertEqual(error["id"], 424242)

    def test_too_many_examples(self):
        a, b = ids("Matrix", "El padrino")
        # Repeats count toward the limit: it bounds the request, whatever it holds.
        self.assertError(call("seed", "/api/recommend", {"like": [a] * 60, "dislike": [b] * 41}),
                         422, "too_many_examples", "101", "100")
        status, _ = call("seed", "/api/recommend", {"like": [a] * 60, "dislike": [b] * 40})
        self.assertEqual(status, 200)
        # (In a query string identical pairs collapse, so 101 different ids; counted before they are looked up.)
        self.assertError(call("seed", "/api/recommend?" + "&".join("like=%d" % i for i in range(1, 102))),
                         422, "too_many_examples")

    def test_nothing_to_recommend_from(self):
        for payload in ({}, {"like": [], "dislike": []}, {"k": 3, "strategy": "average"}):
            self.assertError(call("seed", "/api/recommend", payload), 400, "missing_parameter", "prompt", "like")
        self.assertError(call("seed", "/api/recommend"), 400, "missing_parameter")

    def test_malformed_examples(self):
        for payload, fragment in (({"like": "2"}, "array"), ({"like": ["2"]}, "integer"), ({"like": [2.5]}, "integer"),
                                  ({"dislike": {"id": 2}}, "array"), ({"like": [2], "strategy": 1}, "strategy")):
            self.assertError(call("seed", "/api/recommend", payload), 400, "bad_request", fragment)
        self.assertError(call("seed", "/api/recommend?like=two"), 400, "bad_request", "like", "two")

    def test_unusable_examples(self):
        (matrix,) = ids("Matrix")
        error = self.assertError(call("seed", "/api/recommend", {"like": [matrix], "dislike": [matrix]}),
                                 422, "conflicting_examples", str(matrix))
        self.assertEqual(error["id"], matrix)
        self.assertError(call("seed", "/api/recommend", {"like": [matrix], "strategy": "median"}),
                         422, "unknown_strategy", "median")
        self.assertError(call("seed", "/api/recommend", {"dislike": [matrix]}), 422, "invalid_examples", "best-score")
        self.assertError(call("seed", "/api/recommend", {"like": [matrix], "k": 0}), 422, "out_of_range")
        self.assertError(call("seed", "/api/recommend", {"like": [matrix], "genre": "Ópera"}), 422, "unknown_genre")
        self.assertError(call("seed", "/api/recommend", {"like": [matrix], "prompt": "x" * 5000}), 422, "invalid_prompt")

    def test_prompt_with_an_unconfigured_provider(self):
        self.assertError(call("seed", "/api/recommend", {"like": ids("Matrix"), "prompt": "naves", "provider": "openai"}),
                         503, "provider_not_configured", "OPENAI_API_KEY")

    def test_examples_need_stored_vectors(self):
        status, page = call("ratings", "/api/movies?q=movie%207")
        self.assertEqual(status, 200)
        self.assertError(call("ratings", "/api/recommend", {"like": [page["results"][0]["id"]]}),
                         422, "invalid_examples", "no embedding vector")


class UserRecommendations(unittest.TestCase, ErrorShape):
    def test_recommendations_for_a_user(self):
        status, out = call("ratings", "/api/users/1/recommendations")
        self.assertEqual(status, 200, out)
        self.assertEqual((out["user"], out["provider"], out["query"]), ("1", "personal", "user 1"))
        self.assertEqual(len(out["results"]), 5)
        rated = {f"Movie {m}" for m in list(range(1, 13)) + [20]}
        self.assertFalse(rated & {r["title"] for r in out["results"]})
        for r in out["results"]:
            self.assertEqual(r["closest_liked"]["title"], "Movie 20")  # the only film user 1 liked
            self.assertEqual(r["poster"], f"/posters/{r['id']}")
        self.assertEqual(out["notices"], [])
        status, three = call("ratings", "/api/users/2/recommendations?k=3&genre=drama&year_from=1990")
        self.assertEqual(status, 200, three)
        self.assertEqual(len(three["results"]), 3)
        self.assertTrue(all(r["year"] >= 1990 for r in three["results"]))
        self.assertEqual({r["closest_liked"]["title"] for r in three["results"]}, {"Movie 25"})

    def test_errors(self):
        self.assertError(call("ratings", "/api/users/42/recommendations"), 404, "unknown_user", "42")
        self.assertError(call("ratings", "/api/users/1/recommendations?k=0"), 422, "out_of_range")
        self.assertError(call("ratings", "/api/users/1/recommendations?k=51"), 422, "out_of_range")
        self.assertError(call("ratings", "/api/users/1/recommendations?k=five"), 400, "bad_request")
        self.assertError(call("ratings", "/api/users/1/recommendations?genre=opera"), 422, "unknown_genre")
        self.assertError(call("ratings", "/api/users/" + "9" * 101 + "/recommendations"), 400, "bad_request")
        self.assertError(call("ratings", "/api/users/1/recommendations", b"{}"), 405, "method_not_allowed")

    def test_no_trained_model_says_what_to_run(self):
        self.assertError(call("seed", "/api/users/1/recommendations"), 503, "personal_model_unavailable",
                         "cinerec import-ratings", "cinerec train")

    def test_ratings_imported_while_serving(self):
        # A server started before any rating was imported: no model, then the model import-ratings trains,
        # then ratings imported without training (the user's new rating is excluded, with a notice).
        tmp = Path(STATE["tmp"].name)
        db = ratings_fixture(tmp, "live", import_ratings=False)
        server = Server(db, tmp)
        try:
            STATE["live"] = server
            self.assertError(call("live", "/api/users/1/recommendations"), 503, "personal_model_unavailable")
            run("import-ratings", tmp / "ratings.csv", "--links", tmp / "links.csv", db=db)
            status, before = call("live", "/api/users/1/recommendations?k=3")
            self.assertEqual(status, 200, before)
            self.assertEqual(before["notices"], [])
            first = before["results"][0]["title"]
            (tmp / "more.csv").write_text(f"userId,movieId,rating,timestamp\n1,{first.split()[1]},2.0,200\n")
            run("import-ratings", tmp / "more.csv", "--links", tmp / "links.csv", "--no-train", db=db)
            status, after = call("live", "/api/users/1/recommendations?k=3")
            self.assertEqual(status, 200, after)
            self.assertNotIn(first, [r["title"] for r in after["results"]])
            self.assertEqual(len(after["notices"]), 1)
            self.assertIn("cinerec train", after["notices"][0])
        finally:
            STATE.pop("live", None)
            server.stop()


class Documented(unittest.TestCase):
    def test_openapi_documents_examples_and_user_recommendations(self):
        status, doc = call("seed", "/api/openapi.json")
        self.assertEqual(status, 200)
        post = doc["paths"]["/api/recommend"]["post"]
        schema = post["requestBody"]["content"]["application/json"]["schema"]
        if "$ref" in schema:
            schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        for field in ("like", "dislike", "strategy"):
            self.assertIn(field, schema["properties"])
        get_params = {p["name"] for p in doc["paths"]["/api/recommend"]["get"]["parameters"] if "name" in p}
        self.assertTrue({"like", "dislike", "strategy"} <= get_params, get_params)
        users = doc["paths"]["/api/users/{id}/recommendations"]["get"]
        for code in ("200", "400", "404", "422", "503"):
            self.assertIn(code, users["responses"])


if __name__ == "__main__":
    main()
