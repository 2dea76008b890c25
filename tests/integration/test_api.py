"""The JSON API over real HTTP: `cinerec serve` on a loopback port, every endpoint, every error status,
the limits, posters and static files (including path traversal attempts), keep-alive, the access
log, and graceful shutdown."""
# cinerec-test: both-stores
import http.client
import json
import shutil
import signal
import socket
import struct
import tempfile
import threading
import time
import unittest
import urllib.parse
import zlib
from pathlib import Path

from cinerec_test import SEED_DIR, main, new_store, run
from server_helper import Server, request, wait_until

STATE = {}


def setUpModule():
    STATE["tmp"] = tempfile.TemporaryDirectory(prefix="cinerec-api-")
    tmp = Path(STATE["tmp"].name)
    db = new_store(tmp, "seed")
    run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=db)
    run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=db)
    STATE["db"] = db
    STATE["server"] = Server(db, tmp)


def tearDownModule():
    STATE["server"].stop()
    STATE["tmp"].cleanup()


def url(path):
    return STATE["server"].url + path


def get(path, **kw):
    return request(url(path), **kw)


def get_json(path, expect=200):
    status, headers, body = get(path)
    assert status == expect, f"GET {path}: {status} {body[:300]!r}"
    assert headers["Content-Type"].startswith("application/json"), headers["Content-Type"]
    return json.loads(body)


def post_json(path, payload, content_type="application/json"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    status, headers, raw = request(url(path), method="POST", body=body, headers={"Content-Type": content_type})
    return status, json.loads(raw) if raw else None


def raw_get(path):
    """Sends `path` exactly as given (no client-side normalization of '..')."""
    conn = http.client.HTTPConnection("127.0.0.1", STATE["server"].port, timeout=30)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    res = conn.getresponse()
    body = res.read()
    conn.close()
    return res.status, body


def q(text):
    return urllib.parse.quote(text)


class ErrorShape:
    def assertError(self, status, body, code, expect_status):
        self.assertEqual(status, expect_status, body)
        self.assertEqual(set(body), {"error"})
        self.assertEqual(body["error"]["code"], code)
        self.assertIsInstance(body["error"]["message"], str)
        self.assertTrue(body["error"]["message"])
        self.assertNotIn("\n", body["error"]["message"])

    def get_error(self, path, expect_status, code):
        status, _, raw = get(path)
        self.assertError(status, json.loads(raw), code, expect_status)


class HealthAndDocs(unittest.TestCase):
    def test_health(self):
        h = get_json("/api/health")
        self.assertEqual(h["status"], "ok")
        self.assertEqual(h["database"], "reachable")
        self.assertGreaterEqual(h["catalog_version"], 1)
        self.assertEqual(h["reloads"], 0)
        self.assertRegex(h["catalog_loaded_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(h["movies"], 83)
        self.assertEqual(h["model"], "text-embedding-3-small")
        self.assertEqual(h["vectors"], 83)
        names = [p["name"] for p in h["providers"]]
        self.assertEqual(names[0], "offline")
        self.assertIn("openai", names)
        self.assertIn("local", names)
        self.assertTrue(h["providers"][0]["configured"])
        self.assertIn("Bélico", h["genres"])

    def test_openapi_documents_every_endpoint(self):
        doc = get_json("/api/openapi.json")
        self.assertTrue(doc["openapi"].startswith("3."))
        for path in ["/api/health", "/api/movies", "/api/movies/{id}", "/api/movies/{id}/similar", "/api/recommend",
                     "/api/stats", "/posters/{id}"]:
            self.assertIn(path, doc["paths"])
        self.assertEqual(set(doc["paths"]["/api/recommend"]), {"get", "post"})
        for status in ["400", "413", "415", "422", "503"]:
            self.assertIn(status, doc["paths"]["/api/recommend"]["post"]["responses"])


class Movies(unittest.TestCase, ErrorShape):
    def test_first_page_and_paging(self):
        page = get_json("/api/movies")
        self.assertEqual((page["page"], page["per_page"], page["total"], page["pages"]), (1, 12, 83, 7))
        self.assertEqual(len(page["results"]), 12)
        movie = page["results"][0]
        self.assertEqual(set(movie), {"id", "title", "genres", "year", "poster", "description"})
        self.assertEqual(movie["poster"], f"/posters/{movie['id']}")
        seen = []
        for p in range(1, 8):
            seen += [m["id"] for m in get_json(f"/api/movies?page={p}&per_page=12")["results"]]
        self.assertEqual(len(seen), 83)
        self.assertEqual(len(set(seen)), 83)
        beyond = get_json("/api/movies?page=9")
        self.assertEqual((beyond["total"], beyond["results"]), (83, []))
        self.assertEqual(len(get_json("/api/movies?per_page=100")["results"]), 83)

    def test_title_search_ignores_accents_and_case(self):
        for text in ["señor anillos", "SENOR DE LOS ANILLOS", "Señor"]:
            titles = [m["title"] for m in get_json("/api/movies?q=" + q(text))["results"]]
            self.assertTrue(titles and all("señor de los anillos" in t.lower() for t in titles), (text, titles))
        titles = [m["title"] for m in get_json("/api/movies?q=padrino")["results"]]
        self.assertEqual(titles, ["El padrino", "El padrino II", "El padrino III"])
        self.assertEqual(get_json("/api/movies?q=" + q("pelicula que no existe"))["total"], 0)

    def test_filters(self):
        war = get_json("/api/movies?genre=" + q("belico") + "&per_page=100")
        self.assertGreater(war["total"], 3)
        self.assertTrue(all("Bélico" in m["genres"] for m in war["results"]))
        either = get_json("/api/movies?genre=Western&genre=Musical&per_page=100")["results"]
        self.assertTrue(all({"Western", "Musical"} & set(m["genres"]) for m in either))
        nineties = get_json("/api/movies?year_from=1990&year_to=1999&per_page=100")
        self.assertGreater(nineties["total"], 5)
        self.assertTrue(all(1990 <= m["year"] <= 1999 for m in nineties["results"]))

    def test_one_movie(self):
        first = get_json("/api/movies?q=pianista")["results"][0]
        movie = get_json(f"/api/movies/{first['id']}")
        self.assertEqual(movie["title"], "El pianista")
        self.assertGreater(len(movie["description"]), 100)
        self.get_error("/api/movies/999999", 404, "not_found")
        self.get_error("/api/movies/abc", 400, "bad_request")

    def test_bad_parameters(self):
        self.get_error("/api/movies?page=abc", 400, "bad_request")
        self.get_error("/api/movies?page=0", 422, "out_of_range")
        self.get_error("/api/movies?page=-3", 422, "out_of_range")
        self.get_error("/api/movies?per_page=101", 422, "out_of_range")
        self.get_error("/api/movies?per_page=99999999999999999999999", 422, "out_of_range")
        self.get_error("/api/movies?year_from=1e3", 400, "bad_request")
        self.get_error("/api/movies?year_from=1700", 422, "out_of_range")
        self.get_error("/api/movies?year_from=2000&year_to=1990", 422, "invalid_year_range")
        self.get_error("/api/movies?genre=Telenovela", 422, "unknown_genre")
        self.get_error("/api/movies?q=" + "a" * 201, 422, "out_of_range")
        self.get_error("/api/movies?q=%FF", 400, "bad_request")


class Similar(unittest.TestCase, ErrorShape):
    def movie_id(self, title):
        results = get_json("/api/movies?q=" + q(title) + "&per_page=100")["results"]
        return next(m["id"] for m in results if m["title"] == title)

    def test_matches_the_reference_score(self):
        ryan = self.movie_id("Salvar al soldado Ryan")
        recs = get_json(f"/api/movies/{ryan}/similar?k=3")
        self.assertEqual(recs["provider"], "stored")
        self.assertEqual(len(recs["results"]), 3)
        self.assertEqual(recs["results"][0]["title"], "La lista de Schindler")
        self.assertAlmostEqual(recs["results"][0]["score"], 0.589, delta=0.001)
        self.assertNotIn(ryan, [r["id"] for r in recs["results"]])
        self.assertEqual(len(get_json(f"/api/movies/{ryan}/similar")["results"]), 6)
        godfather = self.movie_id("El padrino")
        self.assertEqual(get_json(f"/api/movies/{godfather}/similar")["results"][0]["title"], "El padrino II")

    def test_errors(self):
        ryan = self.movie_id("Salvar al soldado Ryan")
        self.get_error(f"/api/movies/{ryan}/similar?k=0", 422, "out_of_range")
        self.get_error(f"/api/movies/{ryan}/similar?k=51", 422, "out_of_range")
        self.get_error(f"/api/movies/{ryan}/similar?k=x", 400, "bad_request")
        self.get_error("/api/movies/424242/similar", 404, "not_found")


class Recommend(unittest.TestCase, ErrorShape):
    def test_get_pianist(self):
        recs = get_json("/api/recommend?prompt=" + q("película de un pianista"))
        self.assertEqual(recs["provider"], "offline")
        self.assertEqual(recs["query"], "película de un pianista")
        self.assertEqual(len(recs["results"]), 5)
        top = recs["results"][0]
        self.assertEqual(top["title"], "El pianista")
        self.assertEqual(set(top), {"id", "title", "score", "genres", "year", "poster", "description", "explain"})
        # Why each movie is there: score parts, the prompt's words it matched, the movie it was found through.
        self.assertIn("pianista", top["explain"]["matched_words"])
        self.assertIsNone(top["explain"]["near"])
        self.assertEqual(top["explain"]["lexical"], 1.0)
        for r in recs["results"][1:]:
            self.assertTrue(r["explain"]["matched_words"] or r["explain"]["near"], r)
        self.assertIn("understood", recs)
        scores = [r["score"] for r in recs["results"]]
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_post_with_filters(self):
        status, recs = post_json("/api/recommend", {"prompt": "película de la segunda guerra mundial", "k": 3,
                                                     "genres": ["Bélico"], "year_from": 1970, "year_to": 2020})
        self.assertEqual(status, 200, recs)
        # The seed has exactly three war films from 1970 to 2020.
        self.assertEqual(sorted(r["title"] for r in recs["results"]),
                         ["Apocalypse Now", "Dunkerque", "Salvar al soldado Ryan"])
        for r in recs["results"]:
            self.assertIn("Bélico", r["genres"])
            self.assertTrue(1970 <= r["year"] <= 2020)
        status, recs = post_json("/api/recommend", {"prompt": "película de un pianista", "genre": "drama", "provider": "offline"})
        self.assertEqual((status, recs["results"][0]["title"]), (200, "El pianista"))

    def test_get_errors(self):
        self.get_error("/api/recommend", 400, "missing_parameter")
        self.get_error("/api/recommend?prompt=%20%20", 422, "invalid_prompt")
        self.get_error("/api/recommend?prompt=" + "a" * 4097, 422, "invalid_prompt")
        self.get_error("/api/recommend?prompt=x&k=0", 422, "out_of_range")
        self.get_error("/api/recommend?prompt=x&k=51", 422, "out_of_range")
        self.get_error("/api/recommend?prompt=x&k=five", 400, "bad_request")
        self.get_error("/api/recommend?prompt=x&provider=skynet", 422, "unknown_provider")
        self.get_error("/api/recommend?prompt=x&genre=Telenovela", 422, "unknown_genre")
        self.get_error("/api/recommend?prompt=x&year_from=2001&year_to=2000", 422, "invalid_year_range")

    def test_post_errors(self):
        cases = [
            (b"{not json", "application/json", 400, "bad_request"),
            (b"[1, 2]", "application/json", 400, "bad_request"),
            (json.dumps({"prompt": 5}).encode(), "application/json", 400, "bad_request"),
            (json.dumps({"prompt": "x", "k": "5"}).encode(), "application/json", 400, "bad_request"),
            (json.dumps({"prompt": "x", "k": 2.5}).encode(), "application/json", 400, "bad_request"),
            (json.dumps({"prompt": "x", "genre": 3}).encode(), "application/json", 400, "bad_request"),
            (json.dumps({"prompt": "x", "colour": "red"}).encode(), "application/json", 400, "bad_request"),
            (json.dumps({"k": 3}).encode(), "application/json", 400, "missing_parameter"),
            (json.dumps({"prompt": ""}).encode(), "application/json", 422, "invalid_prompt"),
            (json.dumps({"prompt": "x", "k": 1000}).encode(), "application/json", 422, "out_of_range"),
            (json.dumps({"prompt": "x", "year_to": 3000}).encode(), "application/json", 422, "out_of_range"),
            (json.dumps({"prompt": "x", "provider": "skynet"}).encode(), "application/json", 422, "unknown_provider"),
            (b"prompt=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ]
        for body, ctype, expect, code in cases:
            with self.subTest(body=body):
                status, answer = post_json("/api/recommend", body, content_type=ctype)
                self.assertError(status, answer, code, expect)

    def test_body_size_limit(self):
        big = json.dumps({"prompt": "x" * (70 * 1024)}).encode()
        status, answer = post_json("/api/recommend", big)
        self.assertError(status, answer, "payload_too_large", 413)
        # Just under the limit is parsed (and refused for the prompt's length, not the body's).
        status, answer = post_json("/api/recommend", json.dumps({"prompt": "x" * (60 * 1024)}).encode())
        self.assertError(status, answer, "invalid_prompt", 422)

    def test_unconfigured_provider_is_503(self):
        status, answer = post_json("/api/recommend", {"prompt": "un pianista", "provider": "openai"})
        self.assertError(status, answer, "provider_not_configured", 503)
        self.assertIn("OPENAI_API_KEY", answer["error"]["message"])


GODFATHERS = {"El padrino", "El padrino II", "El padrino III"}
POETS = {"El club de los poetas muertos", "La sociedad de los poetas muertos"}
MAGICIANS = {"El gran truco", "El prestigio"}


def titles(recs):
    return [r["title"] for r in recs["results"]]


class RankingControls(unittest.TestCase, ErrorShape):
    """diversity and all_duplicates: the same re-ranking as the CLI's --diversity and --all-duplicates."""

    def test_diversity_breaks_up_a_saga_as_the_cli_does(self):
        plain = titles(get_json("/api/recommend?prompt=mafia&k=4"))
        self.assertEqual(set(plain[:3]), GODFATHERS, plain)
        diverse = titles(get_json("/api/recommend?prompt=mafia&k=4&diversity=0.7"))
        self.assertEqual(diverse[0], plain[0])
        self.assertEqual(len(GODFATHERS & set(diverse)), 1, diverse)
        self.assertEqual(len(diverse), 4)
        status, posted = post_json("/api/recommend", {"prompt": "mafia", "k": 4, "diversity": 0.7})
        self.assertEqual((status, titles(posted)), (200, diverse))
        cli = json.loads(run("recommend", "mafia", "-k", "4", "--diversity", "0.7", "--json", db=STATE["db"]).stdout)
        self.assertEqual(titles(cli), diverse)
        self.assertEqual(titles(get_json("/api/recommend?prompt=mafia&k=4&diversity=0")), plain)

    def test_duplicates_are_hidden_unless_asked_for(self):
        prompt = "un profesor de literatura inspira a sus alumnos con la poesía"
        default = titles(get_json("/api/recommend?k=5&prompt=" + q(prompt)))
        self.assertEqual(len(POETS & set(default)), 1, default)
        status, everything = post_json("/api/recommend", {"prompt": prompt, "k": 5, "all_duplicates": True})
        self.assertEqual(status, 200, everything)
        self.assertEqual(POETS & set(titles(everything)), POETS)
        self.assertEqual(POETS & set(titles(get_json("/api/recommend?k=5&all_duplicates=true&prompt=" + q(prompt)))), POETS)
        truco = next(m["id"] for m in get_json("/api/movies?q=" + q("El gran truco"))["results"] if m["title"] == "El gran truco")
        self.assertNotIn("El prestigio", titles(get_json(f"/api/movies/{truco}/similar?k=5")))
        self.assertEqual(titles(get_json(f"/api/movies/{truco}/similar?k=5&all_duplicates=1"))[0], "El prestigio")

    def test_bad_values_are_refused(self):
        for query, expect, code in [("diversity=1.5", 422, "out_of_range"), ("diversity=-0.1", 422, "out_of_range"),
                                    ("diversity=nan", 422, "out_of_range"), ("diversity=lots", 400, "bad_request"),
                                    ("all_duplicates=maybe", 400, "bad_request")]:
            with self.subTest(query=query):
                self.get_error("/api/recommend?prompt=mafia&" + query, expect, code)
                self.get_error("/api/movies/1/similar?" + query, expect, code)
        for body in ({"diversity": "0.5"}, {"diversity": True}, {"all_duplicates": "yes"}):
            with self.subTest(body=body):
                status, answer = post_json("/api/recommend", {"prompt": "mafia", **body})
                self.assertError(status, answer, "bad_request", 400)
        status, answer = post_json("/api/recommend", {"prompt": "mafia", "diversity": 2})
        self.assertError(status, answer, "out_of_range", 422)

    def test_with_liked_movies_a_notice_says_they_are_not_used(self):
        godfather = next(m["id"] for m in get_json("/api/movies?q=" + q("El padrino"))["results"] if m["title"] == "El padrino")
        status, recs = post_json("/api/recommend", {"like": [godfather], "diversity": 0.5})
        self.assertEqual(status, 200, recs)
        self.assertTrue(any("diversity" in n for n in recs["notices"]), recs["notices"])
        status, recs = post_json("/api/recommend", {"like": [godfather]})
        self.assertFalse(any("diversity" in n for n in recs["notices"]), recs["notices"])

class Stats(unittest.TestCase):
    def test_counts_add_up(self):
        s = get_json("/api/stats")
        self.assertEqual(s["total"], 83)
        dated = s["total"] - s["without_year"]
        self.assertEqual(sum(r["count"] for r in s["per_year"]), dated)
        self.assertEqual(sum(r["count"] for r in s["per_decade"]), dated)
        decades = [r["decade"] for r in s["per_decade"]]
        self.assertEqual(decades, list(range(decades[0], decades[-1] + 10, 10)))
        years = [r["year"] for r in s["per_year"]]
        self.assertEqual(years, sorted(set(years)))
        for r in s["per_year"]:
            self.assertEqual(r["count"], get_json(f"/api/movies?year_from={r['year']}&year_to={r['year']}")["total"])
        counts = [r["count"] for r in s["per_genre"]]
        self.assertEqual(counts, sorted(counts, reverse=True))
        self.assertGreaterEqual(sum(counts), 83)
        drama = next(r["count"] for r in s["per_genre"] if r["genre"] == "Drama")
        self.assertEqual(drama, get_json("/api/movies?genre=Drama")["total"])

    def test_charts_are_svg_bar_charts(self):
        s = get_json("/api/stats")
        for name, rows in [("year", s["per_year"]), ("decade", s["per_decade"]), ("genre", s["per_genre"])]:
            status, headers, body = get(f"/charts/{name}.svg")
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith("image/svg+xml"))
            svg = body.decode()
            self.assertTrue(svg.startswith("<svg"))
            self.assertEqual(svg.count('<rect class="bar"'), len(rows))
        _, _, body = get("/charts/genre.svg?lang=en")
        self.assertIn("Movies per genre", body.decode())
        self.assertIn("War", body.decode())
        self.assertIn("Películas por género", get("/charts/genre.svg")[2].decode())
        self.assertEqual(get("/charts/pie.svg")[0], 404)


def png_bytes():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


class PostersAndStatic(unittest.TestCase, ErrorShape):
    def id_of(self, title):
        return next(m["id"] for m in get_json("/api/movies?per_page=100")["results"] if m["title"] == title)

    def test_poster_with_caching(self):
        pid = self.id_of("El pianista")
        status, headers, body = get(f"/posters/{pid}")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "image/png")
        self.assertTrue(body.startswith(b"\x89PNG"))
        self.assertIn("max-age=", headers["Cache-Control"])
        self.assertIsNone(headers["X-Cinerec-Poster"])
        poster = next(p for p in (SEED_DIR / "posters").iterdir() if p.name == "m_El pianista.png")
        self.assertEqual(body, poster.read_bytes())
        status, _, body = get(f"/posters/{pid}", headers={"If-None-Match": headers["ETag"]})
        self.assertEqual((status, body), (304, b""))
        self.get_error("/posters/999999", 404, "not_found")

    def test_missing_poster_gets_the_placeholder(self):
        # The seed's "2001: Odisea del espacio" poster file has no extension; some others are empty.
        empties = [p.name for p in (SEED_DIR / "posters").iterdir() if p.stat().st_size == 0]
        self.assertTrue(empties)
        movies = get_json("/api/movies?per_page=100")["results"]
        placeholders = 0
        for m in movies:
            status, headers, body = get(m["poster"])
            self.assertEqual(status, 200, m["title"])
            self.assertTrue(headers["Content-Type"].startswith("image/"), m["title"])
            self.assertGreater(len(body), 100)
            placeholders += headers["X-Cinerec-Poster"] == "placeholder"
        self.assertGreaterEqual(placeholders, len(empties))
        self.assertLess(placeholders, 20)

    def test_no_path_outside_the_posters_directory(self):
        attempts = [
            "/posters/../../../../etc/passwd", "/posters/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/posters/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/posters/1/../../../../etc/passwd",
            "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/%2e%2e/%2e%2e/etc/passwd",
            "/static//etc/passwd", "/static/..\\..\\etc\\passwd", "/posters/m_El%20pianista.png",
            "/" + str(SEED_DIR / "posters" / "default.JPG"), "/static/" + str(STATE["db"]),
            "/charts/../../etc/passwd", "/posters/1%00.png",
        ]
        for path in attempts:
            with self.subTest(path=path):
                status, body = raw_get(path)
                self.assertIn(status, (400, 404), body[:200])
                self.assertNotIn(b"root:", body)
                self.assertFalse(body.startswith(b"\x89PNG") or body.startswith(b"\xff\xd8"))

    def test_stored_paths_are_confined_to_the_posters_directory(self):
        with tempfile.TemporaryDirectory(prefix="cinerec-posters-") as d:
            d = Path(d)
            posters = d / "posters"
            posters.mkdir()
            (posters / "m_Alfa.png").write_bytes(png_bytes())
            (posters / "m_Beta.png").symlink_to("/etc/passwd")
            (d / "secret.png").write_bytes(png_bytes() + b"SECRET")
            (posters / "m_Gamma.png").symlink_to(d / "secret.png")
            (posters / "m_Delta.png").write_text("not an image at all")
            movies = [{"title": t, "description": f"{t} description", "genre": "Drama", "year": "2000"}
                      for t in ["Alfa", "Beta", "Gamma", "Delta"]]
            (d / "movies.json").write_text(json.dumps(movies))
            db = new_store(d, "posters")
            run("import", d / "movies.json", "--posters", posters, "--quiet", db=db)
            server = Server(db, d)
            try:
                listed = {m["title"]: m["poster"] for m in
                          json.loads(request(server.url + "/api/movies")[2])["results"]}
                status, headers, body = request(server.url + listed["Alfa"])
                self.assertEqual((status, body), (200, png_bytes()))
                for title in ["Beta", "Gamma", "Delta"]:
                    status, headers, body = request(server.url + listed[title])
                    self.assertEqual(status, 200, title)
                    self.assertEqual(headers["X-Cinerec-Poster"], "placeholder", title)
                    self.assertNotIn(b"root:", body)
                    self.assertNotIn(b"SECRET", body)
            finally:
                server.stop()

    def test_pages_and_assets(self):
        for path in ["/", "/recomendaciones", "/estadisticas", "/peliculas/1", "/?q=padrino"]:
            status, headers, body = get(path)
            self.assertEqual(status, 200, path)
            self.assertTrue(headers["Content-Type"].startswith("text/html"))
            self.assertIn(b'<script src="/static/app.js"', body)
            self.assertIn("default-src 'self'", headers["Content-Security-Policy"])
            self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        status, _, body = get("/no/such/page")
        self.assertEqual(status, 404)
        self.assertIn(b"<html", body)
        status, headers, body = get("/static/app.js")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/javascript"))
        status, _, _ = get("/static/app.js", headers={"If-None-Match": headers["ETag"]})
        self.assertEqual(status, 304)
        for asset in ["style.css", "i18n.js", "placeholder.svg", "favicon.svg"]:
            self.assertEqual(get("/static/" + asset)[0], 200, asset)
        self.get_error("/static/nope.js", 404, "not_found")
        self.get_error("/api/nope", 404, "not_found")

    def test_wrong_methods(self):
        for method, path, allow in [("DELETE", "/api/movies", "GET, HEAD"), ("PUT", "/api/recommend", "GET, HEAD, POST"),
                                    ("POST", "/api/stats", "GET, HEAD"), ("PATCH", "/api/movies/1", "GET, HEAD")]:
            status, headers, body = request(url(path), method=method, body=b"{}" if method != "DELETE" else None,
                                            headers={"Content-Type": "application/json"})
            self.assertError(status, json.loads(body), "method_not_allowed", 405)
            self.assertEqual(headers["Allow"], allow)
        status, headers, body = request(url("/api/health"), method="HEAD")
        self.assertEqual((status, body), (200, b""))


class Connections(unittest.TestCase):
    def test_keep_alive_reuses_the_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", STATE["server"].port, timeout=30)
        conn.request("GET", "/api/health")
        first = conn.getresponse()
        first.read()
        sock = conn.sock
        for path in ["/api/stats", "/api/movies?q=padrino", "/api/movies/1"]:
            conn.request("GET", path)
            res = conn.getresponse()
            res.read()
            self.assertEqual(res.status, 200)
            self.assertIs(conn.sock, sock, "the server closed a keep-alive connection")
        conn.close()

    def test_parallel_requests(self):
        results = []

        def worker(i):
            status, _, body = get("/api/recommend?prompt=" + q("película de un pianista") + f"&k={1 + i % 5}")
            results.append((status, json.loads(body)["results"][0]["title"]))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(results, [(200, "El pianista")] * 24)

    def test_idle_connection_is_closed_after_the_read_timeout(self):
        d = Path(STATE["tmp"].name)
        server = Server(STATE["db"], d, extra_args=["--timeout", "1"])
        try:
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # never finishes the headers
            data = sock.recv(4096)  # the server gives up on the request and closes
            self.assertNotIn(b" 200 ", data)
            sock.close()
        finally:
            server.stop()


class Lifecycle(unittest.TestCase):
    def test_access_log_has_no_secrets_and_shutdown_is_graceful(self):
        d = Path(STATE["tmp"].name)
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(sig=sig):
                server = Server(STATE["db"], d)
                status, _, _ = request(server.url + "/api/movies?q=padrino&api_key=sk-SECRET-123",
                                       headers={"Authorization": "Bearer sk-HEADER-456", "Cookie": "session=COOKIE-789"})
                self.assertEqual(status, 200)
                status, _, _ = request(server.url + "/api/recommend", method="POST",
                                       body=json.dumps({"prompt": "PROMPT-TEXT"}).encode(),
                                       headers={"Content-Type": "application/json"})
                self.assertEqual(status, 200)
                code = server.stop(sig)
                self.assertEqual(code, 0, server.log())
                log = server.log()
                self.assertIn('"GET /api/movies" 200', log)
                self.assertIn('"POST /api/recommend" 200', log)
                for secret in ["sk-SECRET-123", "sk-HEADER-456", "COOKIE-789", "PROMPT-TEXT", "api_key", "padrino"]:
                    self.assertNotIn(secret, log)
                self.assertIn("stopped", log)

    def test_requests_in_flight_finish_on_sigterm(self):
        d = Path(STATE["tmp"].name)
        server = Server(STATE["db"], d)
        answers = []

        def slow_client():
            # A first, complete request proves a worker owns the connection; the second is sent in two
            # parts, so it is in flight when the signal arrives.
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            first = b""
            while b"\r\n\r\n" not in first or not first.rstrip().endswith(b"}"):
                first += sock.recv(65536)
            sock.sendall(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.5)
            started.set()
            finish.wait(30)
            sock.sendall(b"Connection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            answers.append(data)
            sock.close()

        started, finish = threading.Event(), threading.Event()
        client = threading.Thread(target=slow_client)
        client.start()
        started.wait(30)
        server.proc.send_signal(signal.SIGTERM)
        self.assertTrue(wait_until(lambda: "received SIGTERM" in server.log(), 20), server.log())
        finish.set()
        client.join(60)
        self.assertEqual(server.proc.wait(30), 0, server.log())
        server.stop()
        self.assertTrue(answers and answers[0].startswith(b"HTTP/1.1 200"), answers)
        self.assertIn(b'"per_genre"', answers[0])
        # New connections are refused once it stopped.
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", server.port), timeout=5)

    def test_bad_arguments(self):
        p = run("serve", "--port", "70000", db=STATE["db"], check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("--port", p.stderr)
        p = run("serve", "--port", "0", db=Path(STATE["tmp"].name) / "missing.db", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("missing.db", p.stderr)
        busy = Server(STATE["db"], Path(STATE["tmp"].name))
        try:
            p = run("serve", "--host", "127.0.0.1", "--port", str(busy.port), db=STATE["db"], check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn(f"cannot listen on 127.0.0.1:{busy.port}", p.stderr)
        finally:
            busy.stop()


if __name__ == "__main__":
    main()
