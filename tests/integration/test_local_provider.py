"""End to end with the built-in encoder: `cinerec embed --provider local --model-dir DIR` embeds the
seed catalog with a generated model, then `cinerec recommend --provider local` answers prompts with
it. The model comes from tests/local_encoder/make_models.py (random weights, real on-disk layout)."""
# cinerec-test: both-stores
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cinerec_test import BIN, SEED_DIR, SOURCE_DIR, CinerecTestCase, query, run, run_json  # noqa: E402

# Debian's python3-torch lives with the system interpreter, which may not be the first python3.
PYTHON = os.environ.get("CINEREC_PYTHON", "/usr/bin/python3")


class LocalProvider(CinerecTestCase):
    @classmethod
    def setUpClass(cls):
        cls._models = tempfile.TemporaryDirectory(prefix="cinerec-local-models-")
        subprocess.run([PYTHON, str(SOURCE_DIR / "tests" / "local_encoder" / "make_models.py"), cls._models.name],
                       check=True, capture_output=True)
        cls.model_dir = Path(cls._models.name) / "xlmr"

    @classmethod
    def tearDownClass(cls):
        cls._models.cleanup()

    def setUp(self):
        super().setUp()
        self.db = self.new_db("local")
        run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=self.db)

    def test_embed_then_recommend(self):
        run("embed", "--provider", "local", "--model-dir", self.model_dir, "--quiet", db=self.db)
        vectors = run_json("check-embeddings", "--title", "Ciudadano Kane", db=self.db)["vectors"]
        local = [v for v in vectors if v["model"] == "xlmr"]
        self.assertEqual(len(local), 1, vectors)
        self.assertEqual(local[0]["dim"], 64)
        self.assertAlmostEqual(local[0]["norm"], 1.0, places=5)  # the model has a Normalize module

        # The prompt is one of the texts whose query embedding the generator computed with its own PyTorch
        # forward pass (reference.json): each result's vector score must be the cosine between that
        # reference and the movie's stored vector, and the movie nearest to it must be in the answer.
        reference = json.loads((self.model_dir / "reference.json").read_text())
        case = next(c for c in reference["cases"] if c["purpose"] == "query")
        query = case["embedding"]
        stored = self.stored_vectors("xlmr")
        self.assertEqual(len(stored), 83)
        cosine = {movie: sum(a * b for a, b in zip(query, v)) for movie, v in stored.items()}

        answer = run_json("recommend", case["text"], "-k", "10", "--provider", "local", "--model-dir",
                          self.model_dir, "--explain", db=self.db)
        self.assertEqual(answer["provider"], "local", answer)
        self.assertEqual(answer["model"], "xlmr", answer)
        self.assertEqual(len(answer["results"]), 10, answer)
        for r in answer["results"]:
            self.assertAlmostEqual(r["explain"]["vector"], cosine[r["id"]], delta=1e-4, msg=r["title"])
        nearest = max(cosine, key=cosine.get)
        self.assertIn(nearest, [r["id"] for r in answer["results"]])

    def stored_vectors(self, model):
        """movie id → stored float32 vector of MODEL, read straight from the store's tables."""
        rows = query(self.db, "SELECT movie_id, dim, data FROM vectors WHERE model = ?", model)
        return {movie: struct.unpack(f"<{dim}f", data) for movie, dim, data in rows}

    def test_missing_model_dir_is_a_clear_error(self):
        p = run("embed", "--provider", "local", "--model-dir", self.tmp / "nowhere", db=self.db, check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("model directory does not exist", p.stderr)


if __name__ == "__main__":
    unittest.main()
