"""Several `cinerec serve` replicas on one catalog: a write by any other process reaches every replica's
answers within a second or so, while clients keep getting answers (zero failed requests). Against
PostgreSQL also: the database restarted under running replicas, and concurrent imports from several
processes while they serve.

The reload latencies measured here (import process exit → the other replica answers with the new
movies) are printed and written to build/replica-reload-latency.json; the README quotes them."""
# cinerec-test: both-stores
import json
import os
import subprocess
import threading
import time
import urllib.parse
import unittest
from pathlib import Path

from cinerec_test import BIN, SEED_DIR, STORE, CinerecTestCase, main, pg_server, run
from pg_server import PASSWORD
from server_helper import Server, request, wait_until

SEED = SEED_DIR / "movie_descriptions.json"
LATENCY_FILE = Path(BIN).resolve().parent / "replica-reload-latency.json"


def get_json(server, path, timeout=15):
    status, _, body = request(server.url + path, timeout=timeout)
    return status, json.loads(body)


class Hammer:
    """Client threads that keep requesting `paths` from a server and record every failure: an HTTP status
    outside `allowed` (or allowed_for[path]), a body that is not JSON, an exception (refused connection,
    timeout)."""

    def __init__(self, server, paths, threads=2, allowed=(200,), allowed_for=None):
        self.server, self.paths, self.allowed, self.allowed_for = server, paths, allowed, allowed_for or {}
        self.count = 0
        self.failures = []
        self.statuses = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]
        for t in self._threads:
            t.start()

    def _run(self, offset):
        i = offset
        while not self._stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            try:
                status, _, body = request(self.server.url + path, timeout=15)
                json.loads(body)
                allowed = self.allowed_for.get(path, self.allowed)
                failure = None if status in allowed else f"{path}: HTTP {status}: {body[:200]!r}"
            except Exception as e:  # noqa: BLE001 - every kind of failure is what the test counts
                status, failure = "exception", f"{path}: {type(e).__name__}: {e}"
            with self._lock:
                self.count += 1
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if failure:
                    self.failures.append(failure)

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
        return self.count, self.failures


PLOTS = ["el piloto que cruza el desierto con una carta para su hermana",
         "una cocinera que abre un restaurante en un faro abandonado",
         "un relojero que repara el tiempo de un pueblo de montaña",
         "dos ladrones torpes que roban un museo de cera en invierno",
         "una astronauta que cultiva tomates en una estación orbital"]


def movies_file(path, titles, word):
    """A catalog file of new movies whose descriptions share an invented `word`, so prompts find them;
    their plots differ, so no two are near-duplicates (which recommendations would show once)."""
    path.write_text(json.dumps([
        {"title": t, "description": f"{word}: {PLOTS[i % len(PLOTS)]}.", "year": str(1990 + 7 * i),
         "genre": "Aventura"} for i, t in enumerate(titles)], ensure_ascii=False), encoding="utf-8")
    return path


class ReplicaCase(CinerecTestCase):
    """Servers started by serve() are stopped after each test."""

    def setUp(self):
        super().setUp()
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
            s.proc.stdout.close()
        super().tearDown()

    def serve(self, db):
        server = Server(db, self.tmp)
        self.servers.append(server)
        return server

    def titles(self, server, query):
        status, body = get_json(server, "/api/movies?per_page=100&q=" + urllib.parse.quote(query))
        self.assertEqual(status, 200, body)
        return {m["title"] for m in body["results"]}

    def recommended(self, server, prompt):
        status, body = get_json(server, "/api/recommend?k=10&prompt=" + urllib.parse.quote(prompt))
        self.assertEqual(status, 200, body)
        return {m["title"] for m in body["results"]}

    def health(self, server):
        status, body = get_json(server, "/api/health")
        self.assertEqual(status, 200, body)
        return body

    def record_latency(self, name, seconds):
        print(f"reload latency ({STORE}, {name}): {seconds * 1000:.0f} ms", flush=True)
        try:
            data = json.loads(LATENCY_FILE.read_text()) if LATENCY_FILE.exists() else {}
        except ValueError:
            data = {}
        data[f"{STORE}/{name}"] = round(seconds * 1000)
        LATENCY_FILE.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


class Replicas(ReplicaCase):
    def test_an_import_by_another_process_reaches_both_replicas_without_failed_requests(self):
        db = self.seeded_db()
        a, b = self.serve(db), self.serve(db)
        version = self.health(b)["catalog_version"]
        self.assertEqual(self.health(a)["catalog_version"], version)
        self.assertEqual(self.health(b)["movies"], 83)
        hammer = Hammer(b, ["/api/recommend?k=5&prompt=" + urllib.parse.quote("película de un pianista"),
                            "/api/movies?per_page=100&q=zorblax", "/api/stats", "/api/health"])
        try:
            new = {"Zorblax y el desierto", "Zorblax vuelve", "La noche de Zorblax"}
            extra = movies_file(self.tmp / "extra.json", sorted(new), "Zorblax")
            run("import", extra, db=db)
            written = time.monotonic()
            seen = {}

            def arrived():
                for name, server in (("a", a), ("b", b)):
                    if name not in seen and new <= self.titles(server, "zorblax"):
                        seen[name] = time.monotonic() - written
                return len(seen) == 2

            self.assertTrue(wait_until(arrived, 20), f"only {sorted(seen)} served the import; logs:\n{b.log()}")
            self.record_latency("import seen by a replica", max(seen.values()))
            # The promise is "within a second" for PostgreSQL replicas (NOTIFY-driven; 0.06-0.22 s measured) in
            # the Release build; the ASan build (test-sanitize.sh sets ASAN_OPTIONS) runs several times slower,
            # and SQLite (polling, 0.12-0.52 s on a loaded 2-core machine) only has to get there.
            if STORE == "postgres" and "ASAN_OPTIONS" not in os.environ:
                self.assertLess(max(seen.values()), 1.0, f"replicas served the import after {seen} s")
            # Recommendations and statistics come from the same new snapshot.
            self.assertTrue(new <= self.recommended(b, "zorblax"))
            self.assertTrue(new <= self.recommended(a, "zorblax"))
            health = self.health(b)
            self.assertEqual(health["movies"], 86)
            self.assertGreater(health["catalog_version"], version)
            self.assertEqual(health["database"], "reachable")
            self.assertGreaterEqual(health["reloads"], 1)
            _, stats = get_json(b, "/api/stats")
            self.assertEqual(stats["total"], 86)
            # A second write (an update of the same movies) is picked up the same way.
            movies_file(extra, sorted(new), "Quuxtor")
            run("import", extra, db=db)
            self.assertTrue(wait_until(lambda: new <= self.recommended(b, "quuxtor"), 20), b.log())
            time.sleep(0.3)  # a few more requests on the newest snapshot
        finally:
            count, failures = hammer.stop()
        self.assertGreater(count, 20)
        self.assertEqual(failures, [], f"{len(failures)} of {count} requests failed")
        # One log line per reload, naming the version; never a password.
        reloads = [line for line in b.log().splitlines() if "catalog: reloaded version" in line]
        self.assertGreaterEqual(len(reloads), 2, b.log())
        self.assertNotIn(PASSWORD, a.log() + b.log())

    def test_no_reload_serves_the_start_up_snapshot(self):
        db = self.seeded_db(with_vectors=False)
        server = Server(db, self.tmp, extra_args=["--no-reload"])
        self.servers.append(server)
        watcher = self.serve(db)
        run("import", movies_file(self.tmp / "extra.json", ["Zorblax"], "Zorblax"), db=db)
        self.assertTrue(wait_until(lambda: "Zorblax" in self.titles(watcher, "zorblax"), 20))
        self.assertEqual(self.titles(server, "zorblax"), set())
        self.assertEqual(self.health(server)["movies"], 83)


def add_rated_movies(tmp, db):
    """Adds 25 movies with TMDB ids and the ratings of 3 users to `db` (import-ratings also trains), so
    /api/users/1/recommendations answers."""
    catalog = ["id,title,overview,genres,release_date"]
    catalog += [f"{1000 + i},Movie {i},A story number {i} about people,Drama,{1980 + i}-01-01" for i in range(1, 26)]
    (tmp / "rated.csv").write_text("\n".join(catalog) + "\n")
    run("import", tmp / "rated.csv", "--quiet", db=db)
    (tmp / "links.csv").write_text("movieId,imdbId,tmdbId\n" + "".join(f"{i},{i:07d},{1000 + i}\n" for i in range(1, 26)))
    rows = ["userId,movieId,rating,timestamp"]
    for user in (1, 2, 3):
        rows += [f"{user},{m},{3.0 + (m + user) % 3},{m}" for m in range(1, 13)]
    (tmp / "ratings.csv").write_text("\n".join(rows) + "\n")
    run("import-ratings", tmp / "ratings.csv", "--links", tmp / "links.csv", db=db)


@unittest.skipUnless(STORE == "postgres", "a database server restart and concurrent writers need PostgreSQL")
class ReplicasOnPostgres(ReplicaCase):
    def test_database_restart_under_running_replicas(self):
        pg = pg_server()
        db = self.seeded_db()
        add_rated_movies(self.tmp, db)
        a, b = self.serve(db), self.serve(db)
        # The one endpoint that reads the database per request (the user's current ratings) answers
        # before the outage, a clean JSON 503 during it, and again after it.
        user_path = "/api/users/1/recommendations?k=3"
        status, body = get_json(b, user_path)
        self.assertEqual(status, 200, body)
        # During the outage the catalog answers keep coming (JSON 200: it is in memory), user
        # recommendations are a clean JSON 503; never a hang, a refused connection or a crash.
        hammer = Hammer(b, ["/api/movies?q=padrino", "/api/recommend?prompt=" + urllib.parse.quote("mafia"),
                            "/api/health", user_path], allowed_for={user_path: (200, 503)})
        try:
            pg.stop()
            self.assertTrue(wait_until(lambda: self.health(b)["status"] == "degraded", 20), b.log())
            self.assertEqual(self.health(b)["database"], "unreachable")
            self.assertEqual(self.titles(b, "padrino"), {"El padrino", "El padrino II", "El padrino III"})
            status, body = get_json(b, user_path)
            self.assertEqual(status, 503, body)
            self.assertEqual(body["error"]["code"], "personal_model_unavailable")
            self.assertNotIn(PASSWORD, body["error"]["message"])
            time.sleep(1)
            pg.start()
            self.assertTrue(wait_until(lambda: self.health(b)["status"] == "ok", 30), b.log())
            self.assertTrue(wait_until(lambda: get_json(b, user_path)[0] == 200, 30), b.log())
            # Back: writes made after the restart are loaded by both replicas.
            run("import", movies_file(self.tmp / "extra.json", ["Zorblax tras el reinicio"], "Zorblax"), db=db)
            for server in (a, b):
                self.assertTrue(wait_until(lambda: "Zorblax tras el reinicio" in self.titles(server, "zorblax"), 20),
                                server.log())
        finally:
            count, failures = hammer.stop()
        self.assertEqual(failures, [], f"{len(failures)} of {count} requests failed")
        self.assertGreater(count, 10)
        self.assertEqual(a.proc.poll(), None)
        self.assertEqual(b.proc.poll(), None)
        log = b.log()
        self.assertIn("catalog: database unreachable", log)
        self.assertIn("catalog: database reachable again", log)
        self.assertNotIn(PASSWORD, log + a.log())

    def test_a_change_made_while_a_replica_cannot_reach_the_database_is_loaded_when_it_can(self):
        pg = pg_server()
        db = self.seeded_db(with_vectors=False)
        server = self.serve(db)
        # The database restarts and takes a write before the replica's watcher reconnects.
        pg.stop()
        self.assertTrue(wait_until(lambda: self.health(server)["status"] == "degraded", 20), server.log())
        pg.start()
        run("import", movies_file(self.tmp / "extra.json", ["Zorblax"], "Zorblax"), db=db)
        self.assertTrue(wait_until(lambda: "Zorblax" in self.titles(server, "zorblax"), 30), server.log())

    def test_concurrent_imports_from_several_processes_while_replicas_serve(self):
        db = self.seeded_db(with_vectors=False)
        a, b = self.serve(db), self.serve(db)
        hammer = Hammer(a, ["/api/movies?per_page=100&q=lote", "/api/health"])
        try:
            files = [movies_file(self.tmp / f"batch{i}.json", [f"Lote {i} película {j}" for j in range(5)], f"Lote{i}")
                     for i in range(5)]
            procs = [subprocess.Popen([BIN, "--db", db, "import", f, "--quiet"], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for f in files]
            for p in procs:
                _, err = p.communicate(timeout=120)
                self.assertEqual(p.returncode, 0, err)
            name = db.rsplit("/", 1)[1]
            self.assertEqual(pg_server().psql("SELECT count(*), count(DISTINCT title_key) FROM movies", name),
                             "108|108\n")
            version = int(pg_server().psql("SELECT version FROM catalog_state", name))
            for server in (a, b):
                self.assertTrue(wait_until(lambda: self.health(server)["catalog_version"] == version, 20),
                                server.log())
                self.assertEqual(self.health(server)["movies"], 108)
                self.assertEqual(len(self.titles(server, "lote")), 25)
        finally:
            count, failures = hammer.stop()
        self.assertEqual(failures, [], f"{len(failures)} of {count} requests failed")


if __name__ == "__main__":
    main()
