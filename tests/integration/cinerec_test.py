"""Helpers for end-to-end tests that drive the real cinerec binary (stdlib only).

Tests run against the store named by CINEREC_TEST_STORE: "sqlite" (default; a file in the test's
temporary directory) or "postgres" (a fresh database on a throwaway server started once per process).
A test script whose source contains the line `# cinerec-test: both-stores` is registered twice in ctest,
once per store, so it is written once with self.new_db() and digest()."""
import atexit
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("CINEREC_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = os.environ.get("CINEREC_BIN", str(SOURCE_DIR / "build" / "cinerec"))
SEED_DIR = Path(os.environ.get("CINEREC_SEED_DIR", SOURCE_DIR.parent / "shared" / "seed-data"))
STORE = os.environ.get("CINEREC_TEST_STORE", "sqlite")
if STORE not in ("sqlite", "postgres"):
    raise SystemExit(f"CINEREC_TEST_STORE must be sqlite or postgres, not {STORE!r}")

_pg_server = None


def pg_server():
    """The process's PostgreSQL server, started on first use and torn down at exit."""
    global _pg_server
    if _pg_server is None:
        from pg_server import PostgresServer
        _pg_server = PostgresServer()
        atexit.register(_pg_server.cleanup)
    return _pg_server


def new_store(tmp, name="c"):
    """A location for a new, empty store: a file in tmp (SQLite) or an existing empty database's URL."""
    if STORE == "postgres":
        server = pg_server()
        return server.url(server.create_database(name))
    return Path(tmp) / f"{name}.db"


def digest(db):
    """Hash of every row of every table of a store: equal digests mean nothing was written."""
    if str(db).startswith("postgres"):
        return pg_server().digest(str(db).rsplit("/", 1)[1].split("?")[0])
    import sqlite3
    with sqlite3.connect(db) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def query(db, sql, *params):
    """Rows (tuples) of a read-only query on either store. sql is portable SQL with ? placeholders; a BLOB /
    BYTEA value comes back as bytes from both."""
    if not str(db).startswith("postgres"):
        import sqlite3
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute(sql, params).fetchall()
    pieces = sql.split("?")
    if len(pieces) != len(params) + 1:
        raise ValueError(f"{len(params)} parameters for {len(pieces) - 1} placeholders in {sql!r}")
    literal = lambda v: str(v) if isinstance(v, (int, float)) else "'" + str(v).replace("'", "''") + "'"
    bound = pieces[0] + "".join(literal(v) + rest for v, rest in zip(params, pieces[1:]))
    out = pg_server().psql(f"SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM ({bound}) q",
                           str(db).rsplit("/", 1)[1].split("?")[0])
    as_value = lambda v: bytes.fromhex(v[2:]) if isinstance(v, str) and v.startswith("\\x") else v
    return [tuple(as_value(v) for v in row.values()) for row in json.loads(out)]


def run(*args, db=None, check=True, env=None):
    """Runs cinerec and returns the CompletedProcess (text mode)."""
    cmd = [BIN] + (["--db", str(db)] if db else []) + [str(a) for a in args]
    full_env = dict(os.environ)
    full_env.pop("CINEREC_DB", None)
    if env:
        full_env.update(env)
    p = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=300)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def run_json(*args, db=None):
    return json.loads(run(*args, "--json", db=db).stdout)


class CinerecTestCase(unittest.TestCase):
    """Each test gets a fresh temporary directory in self.tmp."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="cinerec-test-")
        self.tmp = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def new_db(self, name="c"):
        return new_store(self.tmp, name)

    def seeded_db(self, with_vectors=True):
        db = self.new_db("seed")
        run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=db)
        if with_vectors:
            run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=db)
        return db

    def assertFails(self, proc, *fragments):
        self.assertNotEqual(proc.returncode, 0, f"expected failure, got success:\n{proc.stdout}")
        message = proc.stderr.strip()
        self.assertEqual(len(message.splitlines()) >= 1, True)
        for fragment in fragments:
            self.assertIn(fragment, message)


def main():
    unittest.main(argv=[sys.argv[0], "-v"])
