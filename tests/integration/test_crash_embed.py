"""Crash consistency of `cinerec embed`: SIGKILL at random moments, many times, against a fake
OpenAI server slowed down so the kills land while batches are in flight or being committed.

After every kill: PRAGMA integrity_check passes; no vector committed before the run is lost or
changed; every batch the killed run sent is stored whole or not at all; a run only asks for movies
that had no vector when it started (nothing committed is embedded twice); every stored vector is
bit for bit the fake's deterministic vector of the movie's text, with that text's hash. Then a
rerun completes and every movie has exactly one vector.

Half of the kills come at a time drawn from the measured length of an uninterrupted run; the others
come 0-4 ms after the run's m-th commit (m random), i.e. while later batches are committing. Each
run uses its own API key, so the fake attributes every request to its run even when it reads it
after the process died. CINEREC_CRASH_SEED reproduces a run; CINEREC_CRASH_EMBED_KILLS and
CINEREC_CRASH_EMBED_MOVIES size it."""
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from contextlib import closing

import numpy as np

from cinerec_test import BIN, CinerecTestCase, main, run
from fake_embedding_server import PROVIDER_VARS, FakeEmbeddingServer, vector_for

N = int(os.environ.get("CINEREC_CRASH_EMBED_MOVIES", "400"))
KILLS = int(os.environ.get("CINEREC_CRASH_EMBED_KILLS", "20"))
SEED = int(os.environ.get("CINEREC_CRASH_SEED", str(random.SystemRandom().randrange(1 << 30))))
BATCH = 8
MODEL = "fake-small"


def description(i):
    # Distinct words per movie, so the fake's bag-of-words vectors differ and texts map back to movies.
    return f"Historia número {i} de un pianista; palabra{i} clave{i * 7} durante la guerra."


# Every connection is closed explicitly: one left to the garbage collector keeps SQLite's per-process
# shared-memory state of a WAL file whose -shm the cinerec process has since deleted, and later
# read-only connections of this process then fail with "disk I/O error".


def stored(db):
    """{movie_id: (vector bytes, text_hash)} of MODEL; raises if a movie has two rows."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as conn:
        rows = conn.execute("SELECT movie_id, data, text_hash FROM vectors WHERE model = ?", (MODEL,)).fetchall()
    out = {}
    for movie_id, data, text_hash in rows:
        assert movie_id not in out, f"movie {movie_id} has two {MODEL} vectors"
        out[movie_id] = (bytes(data), text_hash)
    return out


def count(db):
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return conn.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (MODEL,)).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def integrity(db):
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


class EmbedCrashConsistency(CinerecTestCase):
    def setUp(self):
        super().setUp()
        print(f"embed crash-consistency seed {SEED} ({N} movies, batches of {BATCH}, {KILLS} kills)", flush=True)
        self.rng = random.Random(SEED)
        catalog = [{"title": f"Película de prueba {i:04d}", "description": description(i), "genre": "Drama",
                    "year": str(1950 + i % 70)} for i in range(N)]
        path = self.tmp / "catalog.json"
        path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
        self.db = self.tmp / "embed.db"
        run("import", path, "--quiet", db=self.db)
        with closing(sqlite3.connect(self.db)) as conn:
            rows = conn.execute("SELECT id, description FROM movies").fetchall()
        self.text_of = dict(rows)
        self.id_of = {text: movie_id for movie_id, text in rows}
        self.assertEqual(len(self.id_of), N)
        self.expected = {movie_id: np.asarray(vector_for(text), dtype="<f4").tobytes() for movie_id, text in rows}

    def command(self, db):
        return [BIN, "--db", str(db), "embed", "--provider", "openai", "--batch-size", str(BATCH),
                "--concurrency", "2", "--quiet"]

    def env(self, fake, key):
        env = dict(os.environ)
        env.pop("CINEREC_DB", None)
        env.update({name: "" for name in PROVIDER_VARS})
        env.update(CINEREC_ENV_FILE=str(self.tmp / "no-such.env"), CINEREC_HTTP_TIMEOUT="30",
                   OPENAI_API_KEY=key, OPENAI_BASE_URL=fake.url, OPENAI_EMBED_MODEL=MODEL)
        return env

    def batches_of(self, fake, key):
        """The movie ids of every request the run with this key sent."""
        out = []
        for r in fake.embedding_requests():
            if r["headers"].get("authorization") == "Bearer " + key:
                out.append([self.id_of[text] for text in r["body"]["input"]])
        return out

    def check_state(self, before, after, batches, what):
        self.assertEqual(integrity(self.db), "ok", what)
        for movie_id, row in before.items():
            self.assertEqual(after.get(movie_id), row, f"{what}: a vector committed earlier was lost or changed")
        for movie_id, (data, text_hash) in after.items():
            self.assertEqual(data, self.expected[movie_id], f"{what}: movie {movie_id} has a wrong vector")
            self.assertEqual(text_hash, "sha256:" + hashlib.sha256(self.text_of[movie_id].encode()).hexdigest(), what)
        new = set(after) - set(before)
        sent = set()
        for batch in batches:
            self.assertFalse(set(batch) & set(before), f"{what}: the run re-embedded a movie that had a vector")
            saved = len(set(batch) & new)
            self.assertIn(saved, (0, len(batch)), f"{what}: a batch of {len(batch)} was saved with {saved} vectors")
            sent |= set(batch)
        self.assertLessEqual(new, sent, f"{what}: vectors stored that the run never asked for")
        return len(new)

    def kill_after_commits(self, proc, start_count, commits):
        """SIGKILLs proc 0-4 ms after `commits` more batches are stored; False if it finished first."""
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if count(self.db) >= start_count + commits * BATCH:
                time.sleep(self.rng.uniform(0, 0.004))
                break
            time.sleep(0.001)
        if proc.poll() is not None:
            return False
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True

    def kill_at(self, proc, delay):
        try:
            proc.wait(timeout=delay)
            return False
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True

    def test_embed_killed_keeps_whole_batches_and_resumes(self):
        with FakeEmbeddingServer() as fake:
            fake.delay = 0.02
            # An uninterrupted run on a copy measures how long a whole run takes here.
            measure = self.tmp / "measure.db"
            shutil.copy(self.db, measure)
            start = time.monotonic()
            subprocess.run(self.command(measure), check=True, capture_output=True, env=self.env(fake, "sk-measure"))
            total = time.monotonic() - start
            self.assertEqual(len(stored(measure)), N)

            killed = mid_run = restarts = 0
            for i in range(KILLS):
                before = stored(self.db)
                missing = N - len(before)
                if missing < 4 * BATCH:
                    # Almost done: start over, so every kill still has batches to interrupt.
                    with closing(sqlite3.connect(self.db)) as conn, conn:
                        conn.execute("DELETE FROM vectors WHERE model = ?", (MODEL,))
                    before, missing, restarts = {}, N, restarts + 1
                key = f"sk-run-{i}"
                proc = subprocess.Popen(self.command(self.db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env=self.env(fake, key))
                if i % 2:
                    batches_left = -(-missing // BATCH)
                    was_killed = self.kill_after_commits(proc, len(before), self.rng.randint(1, max(1, batches_left // 2)))
                else:
                    was_killed = self.kill_at(proc, self.rng.uniform(0, total * 1.05 * missing / N + 0.05))
                after = stored(self.db)
                saved = self.check_state(before, after, self.batches_of(fake, key), f"kill {i} (seed {SEED})")
                if not was_killed:
                    self.assertEqual(len(after), N, "a run that finished left movies without vectors")
                killed += was_killed
                mid_run += was_killed and 0 < saved < missing

            # The rerun completes, asks only for what is missing, and leaves one vector per movie.
            before = stored(self.db)
            p = subprocess.run(self.command(self.db), capture_output=True, text=True, env=self.env(fake, "sk-final"))
            self.assertEqual(p.returncode, 0, p.stderr)
            after = stored(self.db)
            batches = self.batches_of(fake, "sk-final")
            self.check_state(before, after, batches, "rerun")
            self.assertEqual(sorted(m for b in batches for m in b), sorted(set(self.text_of) - set(before)))
            self.assertEqual(set(after), set(self.text_of))
            # And the vectors are usable: a read-only command ranks with them.
            out = subprocess.run([BIN, "--db", str(self.db), "recommend", "pianista en la guerra", "--provider", "openai",
                                  "--no-cache", "-k", "3", "--json"], capture_output=True, text=True,
                                 env=self.env(fake, "sk-query"))
            self.assertEqual(out.returncode, 0, out.stderr)
            recs = json.loads(out.stdout)
            self.assertEqual((recs["provider"], recs["model"], len(recs["results"])), ("openai", MODEL, 3))
            print(f"embed: {killed} SIGKILLs ({mid_run} with some batches saved and some not), "
                  f"{KILLS - killed} runs finished first, {restarts} restarts from scratch; "
                  f"an uninterrupted run takes {total:.2f}s", flush=True)
            self.assertGreater(mid_run, 0, "no kill landed between two commits: the test proved nothing")


if __name__ == "__main__":
    main()
