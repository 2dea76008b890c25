"""Crash consistency: `cinerec import` and `cinerec add-embeddings` killed with SIGKILL at random
moments, many times, on a generated catalog of a few thousand movies. After every kill the database
passes PRAGMA integrity_check and holds either the old or the new state of the file (a file within one
import batch, and every add-embeddings file, is written in one transaction: never half of it), and a
rerun completes. An import of more records than its --batch commits whole batches: killed, it leaves
the first batches new and the rest old, and the same command resumes it.

Kill times are drawn from the duration of an uninterrupted run measured first (half of them from
the moment the database file is opened on); every third kill instead comes 0-20 ms after the WAL
starts growing, i.e. while the commit writes pages, where a torn write would show. The RNG seed is printed
(CINEREC_CRASH_SEED reproduces a run); CINEREC_CRASH_KILLS sets the number of kills per command."""
import json
import os
import random
import signal
import sqlite3
import struct
import subprocess
import time

from cinerec_test import BIN, CinerecTestCase, main

N = int(os.environ.get("CINEREC_CRASH_MOVIES", "3000"))
KILLS = int(os.environ.get("CINEREC_CRASH_KILLS", "16"))
SEED = int(os.environ.get("CINEREC_CRASH_SEED", str(random.SystemRandom().randrange(1 << 30))))
DIM = 8


def catalog(version):
    """The same N titles in both versions; every description says its version. (Import upserts and
    never deletes, so a title only one version had would stay behind and blur the two states.)"""
    count = N
    return [{"title": f"Película sintética {i:05d}",
             "description": f"Historia {i} de un pianista durante la guerra, v{version}. " * 3,
             "genre": "Drama" if i % 2 else "Comedia", "year": str(1950 + i % 70)} for i in range(count)]


def vectors(tag, rng):
    """One vector per movie of version 1 whose first value is the set's tag (1.0 or 2.0)."""
    return [{"title": f"Película sintética {i:05d}",
             "embedding": [tag] + [rng.uniform(-1, 1) for _ in range(DIM - 1)]} for i in range(N)]


def integrity(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def catalog_state(db):
    """None before the first import committed, else 1 or 2; raises on a mixed state."""
    with sqlite3.connect(db) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'movies'").fetchone():
            return None
        count = conn.execute("SELECT count(*) FROM movies").fetchone()[0]
        tags = {row[0] for row in conn.execute(
            "SELECT DISTINCT substr(description, instr(description, ', v') + 3, 1) FROM movies")}
    if count == 0 and not tags:
        return None
    if tags == {"1"} and count == N:
        return 1
    if tags == {"2"} and count == N:
        return 2
    raise AssertionError(f"half-applied import: {count} movies, versions {sorted(tags)}")


BATCH = 500


def batch_prefix(db):
    """How many movies, in id (file) order, hold version 2 while the rest hold version 1; raises unless
    that is a whole number of batches (or all of them) followed by only version-1 movies."""
    with sqlite3.connect(db) as conn:
        tags = [row[0] for row in conn.execute(
            "SELECT substr(description, instr(description, ', v') + 3, 1) FROM movies ORDER BY id")]
    assert len(tags) == N, f"{len(tags)} movies"
    new = next((i for i, t in enumerate(tags) if t != "2"), N)
    assert all(t == "1" for t in tags[new:]), "versions interleave beyond one batch boundary"
    assert new % BATCH == 0 or new == N, f"{new} new movies: not whole batches of {BATCH}"
    return new


def vector_state(db):
    """None when no vector is stored, else the set's tag; raises on a mixed state."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT data FROM vectors WHERE model = 'crash-test'").fetchall()
    if not rows:
        return None
    tags = {struct.unpack("<f", row[0][:4])[0] for row in rows}
    if len(rows) == N and len(tags) == 1:
        return tags.pop()
    raise AssertionError(f"half-applied add-embeddings: {len(rows)} vectors, tags {sorted(tags)}")


class CrashConsistency(CinerecTestCase):
    def setUp(self):
        super().setUp()
        print(f"crash-consistency seed {SEED} ({N} movies, {KILLS} kills per command)", flush=True)
        self.rng = random.Random(SEED)
        self.files = {}
        for version in (1, 2):
            path = self.tmp / f"catalog-v{version}.json"
            path.write_text(json.dumps(catalog(version), ensure_ascii=False), encoding="utf-8")
            self.files[("import", version)] = path
        for tag in (1.0, 2.0):
            path = self.tmp / f"vectors-{int(tag)}.json"
            path.write_text(json.dumps(vectors(tag, self.rng)), encoding="utf-8")
            self.files[("add-embeddings", tag)] = path

    def command(self, db, kind, target):
        args = [BIN, "--db", str(db), kind, str(self.files[(kind, target)])]
        if kind == "import":
            args.append("--quiet")
        else:
            args += ["--model", "crash-test"]
        return args

    def timed_run(self, args, db):
        """Runs to completion; returns (seconds, seconds until the database file appeared or changed)."""
        before = db.stat().st_mtime_ns if db.exists() else None
        start = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env())
        opened = None
        while proc.poll() is None:
            wal = db.with_name(db.name + "-wal")
            if opened is None and (wal.exists() or (db.exists() and db.stat().st_mtime_ns != before)):
                opened = time.monotonic() - start
            time.sleep(0.002)
        _, err = proc.communicate()
        self.assertEqual(proc.returncode, 0, err.decode())
        total = time.monotonic() - start
        return total, opened if opened is not None else 0.0

    def env(self):
        env = dict(os.environ)
        env.pop("CINEREC_DB", None)
        return env

    def kill_at(self, args, db, delay):
        """Starts args, SIGKILLs it after delay seconds. Returns (killed, wrote): wrote is True when
        the WAL grew while the process ran, i.e. it was killed after it had begun writing pages
        (cache spill or commit), the moments a torn write could happen."""
        wal = db.with_name(db.name + "-wal")
        wal_before = wal.stat().st_size if wal.exists() else 0
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env())
        try:
            proc.wait(timeout=delay)
            return False, False
        except subprocess.TimeoutExpired:
            wal_at_kill = wal.stat().st_size if wal.exists() else 0
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True, wal_at_kill > wal_before

    def kill_on_write(self, args, db, extra):
        """Starts args and SIGKILLs it `extra` seconds after its WAL starts growing: the commit (or a
        cache spill) is in progress, the window where a torn write would show. Returns (killed, wrote)."""
        wal = db.with_name(db.name + "-wal")
        wal_before = wal.stat().st_size if wal.exists() else 0
        mtime_before = wal.stat().st_mtime_ns if wal.exists() else 0
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env())
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                st = wal.stat()
                if st.st_size > wal_before or (st.st_size and st.st_mtime_ns != mtime_before):
                    time.sleep(extra)
                    if proc.poll() is not None:
                        break
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    return True, True
            except FileNotFoundError:
                pass
            time.sleep(0.0002)
        proc.wait()
        return False, False

    def crash_loop(self, db, kind, targets, state, total, opened):
        """Alternates between the two targets, killing each attempt; checks every intermediate state."""
        current = state(db)
        killed = finished = with_frames = 0
        for i in range(KILLS):
            target = targets[i % 2] if current != targets[i % 2] else targets[(i + 1) % 2]
            low = opened if i % 2 else 0.0
            delay = self.rng.uniform(low, total * 1.05)
            if i % 3 == 2:
                delay = self.rng.uniform(0, 0.02)
                was_killed, wrote = self.kill_on_write(self.command(db, kind, target), db, delay)
            else:
                was_killed, wrote = self.kill_at(self.command(db, kind, target), db, delay)
            killed += was_killed
            with_frames += wrote
            finished += not was_killed
            self.assertEqual(integrity(db), "ok", f"{kind} killed after {delay:.3f}s")
            now = state(db)
            self.assertIn(now, (current, target), f"{kind} killed after {delay:.3f}s: state {now}")
            if not was_killed:
                self.assertEqual(now, target, f"{kind} finished but its file is not in the database")
            current = now
        print(f"{kind}: {killed} SIGKILLs (at least {with_frames} after it had written to the WAL), {finished} runs finished "
              f"first; an uninterrupted run takes {total:.2f}s, "
              f"database opened at {opened:.2f}s", flush=True)
        # A rerun after the last kill completes and leaves the file's state.
        target = targets[0] if current != targets[0] else targets[1]
        subprocess.run(self.command(db, kind, target), check=True, capture_output=True, env=self.env())
        self.assertEqual(integrity(db), "ok")
        self.assertEqual(state(db), target)

    def test_import_into_a_new_database_killed(self):
        """Killed while creating the database (schema, migrations, first import): a rerun works."""
        total, opened = self.timed_run(self.command(self.tmp / "measure.db", "import", 1), self.tmp / "measure.db")
        for i in range(max(4, KILLS // 3)):
            db = self.tmp / f"fresh-{i}.db"
            self.kill_at(self.command(db, "import", 1), db, self.rng.uniform(opened * 0.5, total * 1.05))
            if db.exists():
                self.assertEqual(integrity(db), "ok")
                self.assertIn(catalog_state(db), (None, 1))
            subprocess.run(self.command(db, "import", 1), check=True, capture_output=True, env=self.env())
            self.assertEqual(catalog_state(db), 1)

    def test_import_killed_keeps_old_or_new_catalog(self):
        db = self.tmp / "catalog.db"
        total, opened = self.timed_run(self.command(db, "import", 1), db)
        self.crash_loop(db, "import", (2, 1), catalog_state, total, opened)

    def test_batched_import_killed_keeps_whole_batches_and_resumes(self):
        db = self.tmp / "batched.db"
        subprocess.run(self.command(db, "import", 1), check=True, capture_output=True, env=self.env())
        batched = self.command(db, "import", 2) + ["--batch", str(BATCH)]
        total, opened = self.timed_run(batched, db)
        subprocess.run(self.command(db, "import", 1), check=True, capture_output=True, env=self.env())
        self.assertEqual(batch_prefix(db), 0)
        progress, kills, seen = 0, 0, set()
        for _ in range(KILLS):
            was_killed, _ = self.kill_at(batched, db, self.rng.uniform(0, total * 1.05))
            kills += was_killed
            self.assertEqual(integrity(db), "ok")
            now = batch_prefix(db)
            # A rerun starts again from the first record: committed batches come back unchanged, so the
            # new prefix never shrinks; a finished run leaves every movie new.
            self.assertGreaterEqual(now, progress)
            if not was_killed:
                self.assertEqual(now, N)
            progress = now
            seen.add(now)
            if now == N:
                subprocess.run(self.command(db, "import", 1), check=True, capture_output=True, env=self.env())
                progress = batch_prefix(db)
        print(f"batched import: {kills} SIGKILLs, new-movie prefixes seen {sorted(seen)}", flush=True)
        out = subprocess.run(batched, check=True, capture_output=True, env=self.env(), text=True).stdout
        self.assertIn(f"{N} movies", out)
        self.assertEqual(batch_prefix(db), N)

    def test_add_embeddings_killed_keeps_old_or_new_vectors(self):
        db = self.tmp / "vectors.db"
        subprocess.run(self.command(db, "import", 1), check=True, capture_output=True, env=self.env())
        total, opened = self.timed_run(self.command(db, "add-embeddings", 1.0), db)
        self.crash_loop(db, "add-embeddings", (2.0, 1.0), vector_state, total, opened)


if __name__ == "__main__":
    main()
