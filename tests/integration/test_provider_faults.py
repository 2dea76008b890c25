"""Embedding providers that fail: fake servers answering 429, 500, garbage, hanging past the timeout or
closing the connection, during `recommend --provider`, `embed` and the API's /api/recommend.

- `recommend` gives up after the bounded interactive retries and answers with the offline path: exit
  0, the same results as a plain offline `recommend`, a notice on stderr and in the JSON's notices;
  `--no-fallback` makes it an error (exit 1). A provider without settings stays an error.
- `embed` fails with exit 1 and an error naming the failure and how many movies were saved; the
  batches committed before the fault stay, and a rerun after the fault clears completes them.
- /api/recommend answers 200 with the offline results, "notice" and "fallback"; fallback=false gives
  503 provider_unavailable JSON; a provider that failed is not asked again during its cooldown.
No real API is ever called."""
# cinerec-test: both-stores
import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np

from cinerec_test import BIN, SEED_DIR, main, new_store, query, run
from fake_embedding_server import PROVIDER_VARS, FakeEmbeddingServer, vector_for
from server_helper import Server, request

PROMPT = "película de un pianista en la guerra"
MODEL = "fake-small"
# Each fault, the fragment of the error that names it, and whether it is worth retrying.
FAULTS = {
    "429": ((429, {"Retry-After": "0"}, {"error": {"message": "Rate limit reached for requests"}}),
            "HTTP 429: Rate limit reached", True),
    "500": ((500, {}, {"error": {"message": "The server had an error"}}), "HTTP 500: The server had an error", True),
    "garbage": ("garbage", "not valid JSON", False),
    "hang": ("hang", "timed out", True),
    "close": ("close", "Empty reply from server", True),
}


def base_env(tmp, **values):
    env = dict(os.environ)
    env.pop("CINEREC_DB", None)
    env.update({name: "" for name in PROVIDER_VARS})
    env.update(CINEREC_ENV_FILE=str(Path(tmp) / "no-such.env"), CINEREC_HTTP_TIMEOUT="2")
    env.update(values)
    return env


class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="cinerec-faults-")
        cls.tmp = Path(cls._tmp.name)
        cls.db = cls.seed_catalog("embedded")  # plus fake-small vectors from a healthy fake
        with FakeEmbeddingServer() as fake:
            subprocess.run([BIN, "--db", str(cls.db), "embed", "--provider", "openai", "--quiet"], check=True,
                           capture_output=True, env=cls.openai_env(fake))
        cls.offline = json.loads(run("recommend", PROMPT, "-k", "5", "--json", db=cls.db).stdout)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    @classmethod
    def seed_catalog(cls, name):
        db = new_store(cls.tmp, name)
        run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=db)
        return db

    @classmethod
    def openai_env(cls, fake, **extra):
        return base_env(cls.tmp, OPENAI_API_KEY="sk-faults-KEY-123", OPENAI_BASE_URL=fake.url,
                        OPENAI_EMBED_MODEL=MODEL, **extra)

    def recommend(self, fake, *extra, env=None):
        return subprocess.run([BIN, "--db", str(self.db), "recommend", PROMPT, "--provider", "openai", "--no-cache",
                               "-k", "5", "--json", *extra], capture_output=True, text=True, timeout=120,
                              env=env or self.openai_env(fake))

    def test_recommend_falls_back_to_offline_on_every_fault(self):
        for name, (fault, fragment, retried) in FAULTS.items():
            with self.subTest(fault=name), FakeEmbeddingServer() as fake:
                fake.fault = fault
                p = self.recommend(fake)
                self.assertEqual(p.returncode, 0, p.stderr)
                out = json.loads(p.stdout)
                self.assertEqual(out["provider"], "offline")
                self.assertEqual(out["results"], self.offline["results"])
                self.assertIn(fragment, p.stderr)
                self.assertIn("provider openai did not answer", p.stderr)
                self.assertTrue(any("provider openai did not answer" in n and fragment in n for n in out["notices"]),
                                out["notices"])
                # Bounded: the interactive default is 2 attempts, 1 for what retrying cannot fix.
                self.assertEqual(len(fake.embedding_requests()), 2 if retried else 1)
                self.assertNotIn("sk-faults-KEY-123", p.stdout + p.stderr)

    def test_long_retry_after_is_not_waited_for(self):
        with FakeEmbeddingServer() as fake:
            fake.fault = (429, {"Retry-After": "3600"}, {"error": {"message": "Rate limit reached"}})
            p = self.recommend(fake)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(json.loads(p.stdout)["provider"], "offline")
            self.assertEqual(len(fake.embedding_requests()), 1)

    def test_no_fallback_makes_it_an_error(self):
        with FakeEmbeddingServer() as fake:
            fake.fault = FAULTS["500"][0]
            p = self.recommend(fake, "--no-fallback", env=self.openai_env(fake, CINEREC_HTTP_MAX_ATTEMPTS="3"))
            self.assertEqual(p.returncode, 1)
            self.assertEqual(p.stdout, "")
            self.assertIn("HTTP 500: The server had an error", p.stderr)
            self.assertNotIn("offline", p.stderr)
            self.assertEqual(len(fake.embedding_requests()), 3)

    def test_a_refusal_is_an_answer_not_a_fallback(self):
        with FakeEmbeddingServer() as fake:
            fake.fault = (400, {}, {"error": {"message": "This prompt is refused"}})
            p = self.recommend(fake)
            self.assertEqual(p.returncode, 1, p.stdout)
            self.assertIn("HTTP 400: This prompt is refused", p.stderr)
            self.assertNotIn("offline", p.stderr)
            self.assertEqual(len(fake.embedding_requests()), 1)

    def test_missing_settings_are_not_a_fallback(self):
        p = subprocess.run([BIN, "--db", str(self.db), "recommend", PROMPT, "--provider", "openai"],
                           capture_output=True, text=True, timeout=60, env=base_env(self.tmp))
        self.assertEqual(p.returncode, 1)
        self.assertIn("OPENAI_API_KEY", p.stderr)
        self.assertEqual(p.stdout, "")

    def test_embed_fails_clearly_and_keeps_committed_batches(self):
        for name, (fault, fragment, _) in FAULTS.items():
            with self.subTest(fault=name), FakeEmbeddingServer() as fake:
                db = self.seed_catalog(f"embed_{name}")
                fake.fault, fake.fault_after = fault, 3
                env = self.openai_env(fake, CINEREC_HTTP_MAX_ATTEMPTS="2")
                cmd = [BIN, "--db", str(db), "embed", "--provider", "openai", "--batch-size", "10", "--concurrency",
                       "1", "--quiet"]
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
                self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
                self.assertIn(fragment, p.stderr)
                self.assertIn("30 of 83 movies were embedded and saved; rerun `cinerec embed` to continue", p.stderr)
                self.assertEqual(len(self.vectors(db)), 30)
                fake.fault = None
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(len(self.vectors(db)), 83)

    def vectors(self, db):
        """{title: vector} of MODEL, each checked against the fake's vector of the movie's text."""
        rows = query(db, "SELECT m.title, m.description, v.dim, v.data FROM vectors v JOIN movies m "
                         "ON m.id = v.movie_id WHERE v.model = ? ORDER BY v.movie_id", MODEL)
        out = {}
        for title, text, dim, data in rows:
            vec = np.frombuffer(data, dtype="<f4", count=dim)
            np.testing.assert_array_equal(vec, np.asarray(vector_for(text.replace("\n", " ")), dtype=np.float32))
            out[title] = vec.tobytes()
        return out


class ApiFaults(unittest.TestCase):
    """One server, one provider per fault, each backed by its own failing fake."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="cinerec-api-faults-")
        cls.tmp = Path(cls._tmp.name)
        cls.db = new_store(cls.tmp, "seed")
        run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=cls.db)
        run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=cls.db)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def post(self, server, payload):
        status, headers, body = request(server.url + "/api/recommend", method="POST",
                                        body=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        return status, json.loads(body)

    def test_every_fault_falls_back_with_a_notice_and_strict_mode_is_503(self):
        fakes = {name: FakeEmbeddingServer() for name in FAULTS}
        for name, fake in fakes.items():
            fake.__enter__()
            fake.fault = FAULTS[name][0]
        provider_of = {"429": "openai", "500": "openai-compatible", "garbage": "ollama", "hang": "tei",
                       "close": "gemini"}
        env = {"OPENAI_API_KEY": "sk-api-faults-KEY", "OPENAI_BASE_URL": fakes["429"].url,
               "OPENAI_COMPATIBLE_BASE_URL": fakes["500"].url + "/v1", "OPENAI_COMPATIBLE_MODEL": "m",
               "OLLAMA_HOST": fakes["garbage"].url, "OLLAMA_EMBED_MODEL": "m", "TEI_BASE_URL": fakes["hang"].url,
               "GEMINI_API_KEY": "AIza-api-faults-KEY", "GEMINI_BASE_URL": fakes["close"].url,
               "CINEREC_HTTP_TIMEOUT": "2"}
        server = Server(self.db, self.tmp, env=env)
        try:
            status, offline = self.post(server, {"prompt": PROMPT, "k": 4})
            self.assertEqual(status, 200, offline)
            for name, provider in provider_of.items():
                with self.subTest(fault=name, provider=provider):
                    fake, fragment = fakes[name], FAULTS[name][1]
                    status, recs = self.post(server, {"prompt": PROMPT, "k": 4, "provider": provider})
                    self.assertEqual(status, 200, recs)
                    self.assertEqual(recs["provider"], "offline")
                    self.assertEqual(recs["results"], offline["results"])
                    self.assertEqual(recs["fallback"]["from"], provider)
                    self.assertIn(fragment, recs["fallback"]["reason"])
                    self.assertIn(f"provider {provider} did not answer", recs["notice"])
                    self.assertIn(recs["notice"], recs["notices"])
                    asked = len(fake.embedding_requests())
                    self.assertIn(asked, (1, 2))  # serve: at most 2 attempts
                    # Within the cooldown the provider is not asked again; GET says the same.
                    status, _, body = request(server.url + f"/api/recommend?prompt=piano&provider={provider}")
                    self.assertEqual((status, json.loads(body)["fallback"]["from"]), (200, provider))
                    # A client that wants this provider only gets the error.
                    status, answer = self.post(server, {"prompt": PROMPT, "provider": provider, "fallback": False})
                    self.assertEqual(status, 503, answer)
                    self.assertEqual(answer["error"]["code"], "provider_unavailable")
                    self.assertIn("not asked again for", answer["error"]["message"])
                    self.assertEqual(len(fake.embedding_requests()), asked)
            # Liked movies with a prompt: the prompt's vector comes from the offline path instead.
            status, recs = self.post(server, {"prompt": PROMPT, "like": [1], "provider": "openai"})
            self.assertEqual(status, 200, recs)
            self.assertEqual((recs["provider"], recs["fallback"]["from"]), ("offline", "openai"))
            self.assertIn(recs["notice"], recs["notices"])
            status, answer = self.post(server, {"prompt": PROMPT, "like": [1], "provider": "openai", "fallback": False})
            self.assertEqual((status, answer["error"]["code"]), (503, "provider_unavailable"))
            status, answer = self.post(server, {"prompt": PROMPT, "fallback": "no"})
            self.assertEqual((status, answer["error"]["code"]), (400, "bad_request"))
            status, _, body = request(server.url + "/api/recommend?prompt=piano&fallback=maybe")
            self.assertEqual((status, json.loads(body)["error"]["code"]), (400, "bad_request"))
        finally:
            server.stop()
            for fake in fakes.values():
                fake.__exit__(None, None, None)
        for secret in ("sk-api-faults-KEY", "AIza-api-faults-KEY"):
            self.assertNotIn(secret, server.log())

    def test_strict_first_then_recovery_after_the_cooldown(self):
        with FakeEmbeddingServer(dim=1536) as fake:  # the seed's vectors are 1536-d
            fake.fault = FAULTS["close"][0]
            server = Server(self.db, self.tmp, env={
                "OPENAI_API_KEY": "sk-api-faults-KEY", "OPENAI_BASE_URL": fake.url,
                "OPENAI_EMBED_MODEL": "text-embedding-3-small", "CINEREC_HTTP_TIMEOUT": "2",
                "CINEREC_PROVIDER_COOLDOWN": "0"})
            try:
                status, answer = self.post(server, {"prompt": PROMPT, "provider": "openai", "fallback": False})
                self.assertEqual((status, answer["error"]["code"]), (503, "provider_unavailable"))
                self.assertIn("Empty reply from server", answer["error"]["message"])
                self.assertEqual(len(fake.embedding_requests()), 2)
                # No cooldown: the next request asks the provider again, which now answers.
                fake.fault = None
                status, recs = self.post(server, {"prompt": PROMPT, "provider": "openai"})
                self.assertEqual((status, recs["provider"]), (200, "openai"), recs)
                self.assertNotIn("fallback", recs)
                self.assertEqual(len(fake.embedding_requests()), 3)
            finally:
                server.stop()

    def test_invalid_cooldown_is_refused(self):
        p = subprocess.run([BIN, "--db", str(self.db), "serve", "--port", "0"], capture_output=True, text=True,
                           timeout=60, env=base_env(self.tmp, CINEREC_PROVIDER_COOLDOWN="soon"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("CINEREC_PROVIDER_COOLDOWN (environment): expected seconds", p.stderr)


if __name__ == "__main__":
    main()
