"""PostgreSQL-only behaviour, against a real throwaway server: connection errors, results equal to
SQLite's, concurrent imports, change notification (cinerec watch), and the server restarted under a
running process. (The CLI suites also run against PostgreSQL: see test_cli_seed / test_cli_errors.)"""
import json
import os
import struct
import subprocess
import threading
import time
from pathlib import Path

from cinerec_test import BIN, SEED_DIR, CinerecTestCase, digest, main, pg_server, run, run_json
from pg_server import PASSWORD, SUPERUSER
from server_helper import wait_until

SEED = SEED_DIR / "movie_descriptions.json"
VECTORS = SEED_DIR / "movie_descriptions_embeddings.json"


class Watcher:
    """`cinerec watch` running in the background; lines() collects its stdout as it arrives."""

    def __init__(self, db, *args):
        self.process = subprocess.Popen([BIN, "--db", db, "watch", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self._lines = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            with self._cond:
                self._lines.append(line.strip())
                self._cond.notify_all()

    def wait_for(self, line, timeout=30):
        with self._cond:
            ok = self._cond.wait_for(lambda: line in self._lines, timeout)
        if not ok:
            raise AssertionError(f"watch did not print {line!r}; got {self._lines}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)
        return self.process.stderr.read()


class Postgres(CinerecTestCase):
    def setUp(self):
        super().setUp()
        self.server = pg_server()

    def fresh(self, name="t"):
        return self.server.url(self.server.create_database(name))

    def version(self, db):
        return int(self.server.psql("SELECT version FROM catalog_state", db.rsplit("/", 1)[1]))

    def test_store_contract_unit_tests(self):
        # The gtest suites of the Store and RatingStore guarantees, PostgreSQL half (skipped in the plain unit run, which has no
        # server): every test must run and pass here.
        unit = os.environ.get("CINEREC_UNIT_TESTS", str(Path(BIN).parent / "cinerec_unit_tests"))
        p = subprocess.run([unit, "--gtest_filter=Stores/StoreContract.*/postgres:Stores/RatingStoreTest.*/postgres", "--gtest_brief=0"],
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, CINEREC_TEST_PG_URL=self.server.url(self.server.create_database("contract"))))
        self.assertEqual(p.returncode, 0, p.stdout[-4000:] + p.stderr[-2000:])
        self.assertNotIn("SKIPPED", p.stdout)
        self.assertRegex(p.stdout, r"\[  PASSED  \] [1-9][0-9]* tests")

    def test_same_results_as_sqlite(self):
        pg = self.fresh("parity")
        lite = self.tmp / "parity.db"
        outputs = {}
        for db in (pg, lite):
            run("import", SEED, "--quiet", db=db)
            run("add-embeddings", VECTORS, db=db)
            outputs[db] = [
                run_json("similar", "Salvar al soldado Ryan", "-k", "20", db=db),
                run_json("recommend", "película de la segunda guerra mundial", "-k", "10", db=db),
                run_json("recommend", "comedia romántica en nueva york", "--genre", "Comedia", db=db),
                json.loads(run("check-embeddings", "--title", "Matrix", "--values", "1536", "--json", db=db).stdout),
            ]
        self.assertEqual(outputs[pg], outputs[lite])

    def test_schema_and_vectors_layout(self):
        db = self.fresh("layout")
        run("import", SEED, "--quiet", db=db)
        run("add-embeddings", VECTORS, db=db)
        name = db.rsplit("/", 1)[1]
        self.assertEqual(self.server.psql("SELECT version FROM schema_version", name), "4\n")  # 4: tagline, keywords
        self.assertEqual(self.server.psql("SELECT tagline, keywords::text FROM movies WHERE title = 'Matrix'", name),
                         "|[]\n")
        row = self.server.psql("SELECT v.model, v.dim, length(v.data), round(v.norm::numeric, 4) FROM vectors v "
                               "JOIN movies m ON m.id = v.movie_id WHERE m.title = 'Matrix'", name)
        self.assertEqual(row, "text-embedding-3-small|1536|6144|1.0000\n")
        # The first float32, read back from the bytea as little-endian, is the seed's first value.
        first = self.server.psql("SELECT encode(substring(v.data FROM 1 FOR 4), 'hex') FROM vectors v "
                                 "JOIN movies m ON m.id = v.movie_id WHERE m.title = 'Matrix'", name)
        seed = next(m for m in json.load(open(VECTORS, encoding="utf-8")) if m["title"] == "Matrix")
        self.assertEqual(bytes.fromhex(first.strip()), struct.pack("<f", seed["embedding"][0]))
        # Two writes (import, add-embeddings) bumped the version twice; a no-op reimport does not.
        self.assertEqual(self.version(db), 2)
        run("import", SEED, "--quiet", db=db)
        self.assertEqual(self.version(db), 2)

    def test_connection_errors_are_one_line_and_never_show_the_password(self):
        cases = [
            (self.server.url("x", password="wrong-Pa55"), ["password authentication failed", f'user "{SUPERUSER}"']),
            (f"postgresql://{SUPERUSER}:{PASSWORD}@127.0.0.1:1/x", ["cannot connect", "127.0.0.1"]),
            (f"postgresql://{SUPERUSER}:{PASSWORD}@127.0.0.1:{self.server.port}/x?sslmode", ["malformed query parameter"]),
            (f"postgresql://{SUPERUSER}:{PASSWORD}@127.0.0.1:notaport/x", ["cannot connect", "port"]),
            (f"postgresql://{SUPERUSER}:{PASSWORD}@127.0.0.1:{self.server.port}/x?nosuchoption=1", ["nosuchoption"]),
        ]
        for url, fragments in cases:
            p = run("import", SEED, db=url, check=False)
            self.assertFails(p, *fragments)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertNotIn(PASSWORD, p.stderr + p.stdout)
            self.assertNotIn("wrong-Pa55", p.stderr + p.stdout)

    def test_missing_database_says_how_to_create_it(self):
        url = self.server.url("no_such_db")
        for args in (("import", SEED), ("serve", "--port", "0"), ("train",)):
            p = run(*args, db=url, check=False)
            self.assertFails(p, 'database "no_such_db" does not exist', "createdb")
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertNotIn(PASSWORD, p.stderr + p.stdout)

    def test_statement_timeout_of_the_url_bounds_a_blocked_read(self):
        # A session holding an exclusive lock on movies blocks every reader; with statement_timeout set in
        # the URL (libpq options), a read gives up with a clear error instead of waiting for the lock.
        db = self.fresh("timeout")
        run("import", SEED, "--quiet", db=db)
        name = db.rsplit("/", 1)[1]
        from pg_server import PG_BIN
        locker = subprocess.Popen(
            [str(PG_BIN / "psql"), "-X", "-q", "-h", str(self.server.socket_dir), "-p", str(self.server.port),
             "-U", SUPERUSER, "-d", name, "-c", "BEGIN; LOCK TABLE movies IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30);"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.assertTrue(wait_until(lambda: self.server.psql(
                "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'movies'::regclass",
                name).strip() == "1", 20))
            start = time.monotonic()
            p = run("similar", "El padrino", db=db + "?options=-c%20statement_timeout%3D500", check=False)
            self.assertLess(time.monotonic() - start, 20)
            self.assertFails(p, "statement timeout")
            self.assertNotIn(PASSWORD, p.stderr)
        finally:
            locker.kill()
            locker.wait()

    def test_describe_hides_the_password(self):
        db = self.fresh("describe")
        out = run("import", SEED, "--quiet", db=db).stdout
        self.assertIn(f"into postgresql://{SUPERUSER}@127.0.0.1:{self.server.port}/describe_", out)
        self.assertNotIn(PASSWORD, out)

    def test_password_from_environment(self):
        db = self.fresh("env")
        name = db.rsplit("/", 1)[1]
        url = self.server.url(name, password=None)
        run("import", SEED, "--quiet", db=url, env={"PGPASSWORD": PASSWORD})
        self.assertEqual(self.server.psql("SELECT count(*) FROM movies", name), "83\n")

    def test_concurrent_imports(self):
        # Six processes import overlapping slices of the seed into a database that has no tables yet, so
        # they also race to create the schema. Every import succeeds, each movie is added exactly once.
        db = self.fresh("concurrent")
        movies = json.load(open(SEED, encoding="utf-8"))
        files = []
        for i in range(6):
            path = self.tmp / f"slice{i}.json"
            path.write_text(json.dumps(movies[i * 12:i * 12 + 24], ensure_ascii=False), encoding="utf-8")
            files.append(path)
        procs = [subprocess.Popen([BIN, "--db", db, "import", f, "--quiet"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for f in files]
        outs = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
        for out, err, code in outs:
            self.assertEqual(code, 0, err)
        added = sum(int(out.split("(")[1].split(" added")[0]) for out, _, _ in outs)
        self.assertEqual(added, 83)
        name = db.rsplit("/", 1)[1]
        self.assertEqual(self.server.psql("SELECT count(*), count(DISTINCT title_key) FROM movies", name), "83|83\n")
        self.assertEqual(self.server.psql("SELECT version FROM schema_version", name), "4\n")  # 4: tagline, keywords
        # Concurrent vector loads of the same model: all land, the store stays consistent.
        procs = [subprocess.Popen([BIN, "--db", db, "add-embeddings", VECTORS], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
        for p in procs:
            _, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
        self.assertEqual(self.server.psql("SELECT count(*) FROM vectors", name), "83\n")
        self.assertEqual(run_json("similar", "El padrino", db=db)["results"][0]["title"], "El padrino II")

    def test_watch_sees_imports_from_other_processes(self):
        db = self.fresh("watch")
        run("import", SEED, "--quiet", db=db)
        watcher = Watcher(db, "--changes", "2", "--timeout", "60")
        try:
            watcher.wait_for("catalog version 1")
            run("add-embeddings", VECTORS, db=db)
            watcher.wait_for("catalog version 2")
            extra = self.tmp / "extra.json"
            extra.write_text(json.dumps([{"title": "Película nueva", "description": "Una prueba.", "year": "2024"}]))
            run("import", extra, db=db)
            watcher.wait_for("catalog version 3")
            self.assertEqual(watcher.process.wait(timeout=30), 0)
        finally:
            watcher.stop()

    def test_server_restart_under_running_process(self):
        db = self.fresh("restart")
        run("import", SEED, "--quiet", db=db)
        before = digest(db)
        watcher = Watcher(db)
        try:
            watcher.wait_for("catalog version 1")
            self.server.restart()
            self.assertEqual(digest(db), before)
            run("add-embeddings", VECTORS, db=db)
            watcher.wait_for("catalog version 2")
            # Down for a while: the watcher reports it and keeps retrying until the server is back.
            self.server.stop()
            time.sleep(1.5)
            self.server.start()
            extra = self.tmp / "extra.json"
            extra.write_text(json.dumps([{"title": "Película nueva", "description": "Una prueba."}]))
            run("import", extra, db=db)
            watcher.wait_for("catalog version 3")
        finally:
            stderr = watcher.stop()
        self.assertNotIn(PASSWORD, stderr)
        for line in stderr.splitlines():
            self.assertTrue(line.startswith("warning: postgresql://cinerec@"), line)


if __name__ == "__main__":
    main()
