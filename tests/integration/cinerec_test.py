"""Helpers for end-to-end tests that drive the real cinerec binary (stdlib only)."""
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

    def seeded_db(self, with_vectors=True):
        db = self.tmp / "seed.db"
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
