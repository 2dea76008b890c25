"""End to end with the built-in encoder: `cinerec embed --provider local --model-dir DIR` embeds the
seed catalog with a generated model, then `cinerec recommend --provider local` answers prompts with
it. The model comes from tests/local_encoder/make_models.py (random weights, real on-disk layout)."""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cinerec_test import BIN, SEED_DIR, SOURCE_DIR, CinerecTestCase, run, run_json  # noqa: E402

# Debian's python3-torch lives with the system interpreter, which may not be the first python3.
PYTHON = os.environ.get("CINEREC_PYTHON", "/usr/bin/python3")


def has_embed_command():
    # CLI11 answers --help with the top-level help when `embed` is unknown, so look for its option.
    p = subprocess.run([BIN, "embed", "--help"], capture_output=True, text=True)
    return "--model-dir" in p.stdout


# `cinerec embed` and `recommend --provider` come with the providers issue; until they are on main
# this test says so instead of failing, and runs as soon as they land.
@unittest.skipUnless(has_embed_command(), "cinerec embed is not available yet")
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
        self.db = self.tmp / "cinerec.db"
        run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=self.db)

    def test_embed_then_recommend(self):
        run("embed", "--provider", "local", "--model-dir", self.model_dir, "--quiet", db=self.db)
        vectors = run_json("check-embeddings", "--title", "Ciudadano Kane", db=self.db)["vectors"]
        local = [v for v in vectors if v["model"] == "xlmr"]
        self.assertEqual(len(local), 1, vectors)
        self.assertEqual(local[0]["dim"], 64)
        self.assertAlmostEqual(local[0]["norm"], 1.0, places=5)  # the model has a Normalize module

        answer = run_json("recommend", "un magnate de la prensa y su misterio", "-k", "5", "--provider", "local",
                          "--model-dir", self.model_dir, db=self.db)
        self.assertEqual(answer["model"], "xlmr", answer)
        self.assertEqual(len(answer["results"]), 5, answer)

    def test_missing_model_dir_is_a_clear_error(self):
        p = run("embed", "--provider", "local", "--model-dir", self.tmp / "nowhere", db=self.db, check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("model directory does not exist", p.stderr)


if __name__ == "__main__":
    unittest.main()
