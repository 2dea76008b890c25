"""cinerec synth + cinerec import --vectors at scale: a 50,000-movie CSV with vectors imports, re-imports
idempotently, refuses a vectors file that does not match, and `similar` on it agrees with a reference
computed here from the .npy file (pure Python, independent of cinerec)."""
# cinerec-test: both-stores
import ast
import csv
import struct

from cinerec_test import STORE, CinerecTestCase, digest, main, run, run_json

MOVIES, DIM = 50000, 32


def read_npy(path):
    """(rows, dim, flat float list) of a C-ordered little-endian float32 .npy."""
    with open(path, "rb") as f:
        assert f.read(6) == b"\x93NUMPY"
        major = f.read(2)[0]
        size = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = ast.literal_eval(f.read(size).decode("latin1"))
        assert header["descr"] == "<f4" and not header["fortran_order"], header
        rows, dim = header["shape"]
        data = f.read()
    assert len(data) == rows * dim * 4
    return rows, dim, struct.unpack(f"<{rows * dim}f", data)


class SynthImport(CinerecTestCase):
    def setUp(self):
        super().setUp()
        out = run("synth", "--movies", MOVIES, "--dim", DIM, "--format", "csv", "--seed", 3, "--out", self.tmp / "syn")
        self.assertIn(f"wrote {MOVIES} movies", out.stdout)
        self.catalog = self.tmp / "syn" / "catalog.csv"
        self.vectors = self.tmp / "syn" / "vectors.npy"
        self.db = self.new_db("big")

    def test_import_similar_and_reimport(self):
        out = run("import", self.catalog, "--vectors", self.vectors, "--model", "synthetic-32", "--quiet", db=self.db)
        self.assertIn(f"{MOVIES} movies ({MOVIES} added, 0 updated, 0 unchanged)", out.stdout)
        self.assertIn(f"stored {MOVIES} vectors of model synthetic-32 ({DIM} dimensions)", out.stdout)

        with open(self.catalog, newline="") as f:
            titles = [row["title"] for row in csv.DictReader(f)]
        self.assertEqual(len(titles), MOVIES)
        rows, dim, flat = read_npy(self.vectors)
        self.assertEqual((rows, dim), (MOVIES, DIM))
        for probe in (0, 12345, MOVIES - 1):
            q = flat[probe * dim:(probe + 1) * dim]
            scores = []
            for r in range(rows):
                if r != probe:
                    v = flat[r * dim:(r + 1) * dim]
                    scores.append((-sum(a * b for a, b in zip(q, v)), r))
            scores.sort()
            got = run_json("similar", titles[probe], "-k", 5, "--model", "synthetic-32", db=self.db)["results"]
            self.assertEqual(len(got), 5)
            for (neg, r), item in zip(scores[:5], got):
                self.assertAlmostEqual(item["score"], -neg, delta=1e-4)
                # Rows may swap only on a near-tie.
                if item["title"] != titles[r]:
                    self.assertAlmostEqual(item["score"], -neg, delta=1e-6)

        again = run("import", self.catalog, "--vectors", self.vectors, "--model", "synthetic-32", "--quiet", db=self.db)
        self.assertIn(f"(0 added, 0 updated, {MOVIES} unchanged)", again.stdout)
        self.assertIn(f"stored {MOVIES} vectors", again.stdout)

    def test_vectors_that_do_not_match_the_catalog_are_refused(self):
        small = self.tmp / "small"
        run("synth", "--movies", 10, "--dim", DIM, "--out", small)
        empty = None if STORE == "sqlite" else digest(self.db)
        p = run("import", self.catalog, "--vectors", small / "vectors.npy", db=self.db, check=False)
        self.assertFails(p, "10 vectors for 50000 movies", "nothing imported")
        if STORE == "sqlite":
            self.assertFalse(self.db.exists())
        else:
            self.assertEqual(digest(self.db), empty)
        bad = self.tmp / "bad.npy"
        bad.write_bytes(b"not numpy")
        self.assertFails(run("import", self.catalog, "--vectors", bad, db=self.db, check=False), "bad.npy", "not a .npy file")


if __name__ == "__main__":
    main()
