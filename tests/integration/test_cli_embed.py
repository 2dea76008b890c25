"""`cinerec embed`, `recommend --provider` and `providers` against fake embedding servers (never a real API).

Each fake runs in a thread of this process (fake_embedding_server.py) and answers deterministic bag-of-words
vectors, so every stored vector and every ranking is recomputed here independently with numpy.
"""
# cinerec-test: both-stores
import hashlib
import json
import os
import signal
import subprocess
import time

import numpy as np

from cinerec_test import BIN, SEED_DIR, CinerecTestCase, main, query, run
from fake_embedding_server import PROVIDER_VARS, FakeEmbeddingServer, vector_for

KEY = "sk-e2e-SECRET-key-0123456789"
GEMINI_KEY = "AIza-e2e-SECRET-gemini-key"
PROMPT = "película de un pianista judío en la guerra"


def descriptions():
    with open(SEED_DIR / "movie_descriptions.json", encoding="utf-8") as f:
        return {m["title"]: m["description"] for m in json.load(f)}


def stored_vectors(db, model):
    """{title: (float32 vector, text_hash)} of one model, read straight from the store's tables."""
    rows = query(db, "SELECT m.title, v.dim, v.data, v.text_hash FROM vectors v JOIN movies m ON m.id = v.movie_id "
                     "WHERE v.model = ?", model)
    return {t: (np.frombuffer(data, dtype="<f4", count=dim), h) for t, dim, data, h in rows}


def count_vectors(db, model):
    return query(db, "SELECT COUNT(*) FROM vectors WHERE model = ?", model)[0][0]


class EmbedCommands(CinerecTestCase):
    def setUp(self):
        super().setUp()
        self.db = self.seeded_db(with_vectors=False)
        self.titles = descriptions()

    def env(self, **values):
        """Isolates cinerec from the real environment: no real provider settings, no ./.env."""
        env = {name: "" for name in PROVIDER_VARS}
        env["CINEREC_ENV_FILE"] = str(self.tmp / "no-such.env")
        env["CINEREC_HTTP_TIMEOUT"] = "10"
        env.update(values)
        return env

    def openai_env(self, fake, **extra):
        return self.env(OPENAI_API_KEY=KEY, OPENAI_BASE_URL=fake.url, OPENAI_EMBED_MODEL="fake-small", **extra)

    def cinerec(self, *args, env, check=True):
        p = run(*args, db=self.db, env=env, check=check)
        for secret in (KEY, GEMINI_KEY):
            self.assertNotIn(secret, p.stdout + p.stderr)
        return p

    def assert_vectors_match(self, model, rewrite=lambda s: s):
        stored = stored_vectors(self.db, model)
        self.assertEqual(set(stored), set(self.titles))
        for title, (vec, h) in stored.items():
            text = self.titles[title]
            self.assertEqual(h, "sha256:" + hashlib.sha256(text.encode()).hexdigest(), title)
            np.testing.assert_array_equal(vec, np.asarray(vector_for(rewrite(text)), dtype=np.float32), title)

    def assert_ranking(self, results, model, query_text, k):
        """With --vector-only, cinerec's scores are the cosine between the query vector and each stored vector,
        best first (the default fuses them with BM25: test_eval_hybrid.py)."""
        stored = stored_vectors(self.db, model)
        q = np.asarray(vector_for(query_text), dtype=np.float64)
        q /= np.linalg.norm(q)
        expected = {t: float(np.dot(q, v / np.linalg.norm(v))) for t, (v, _) in stored.items()}
        top = sorted(expected.values(), reverse=True)[:k]
        self.assertEqual(len(results), k)
        for r, want in zip(results, top):
            self.assertAlmostEqual(r["score"], expected[r["title"]], places=4)
            self.assertAlmostEqual(r["score"], want, places=4)

    def test_openai_embed_resume_and_recommend_with_cache(self):
        with FakeEmbeddingServer(api_key=KEY) as fake:
            env = self.openai_env(fake)
            p = self.cinerec("embed", "--provider", "openai", "--batch-size", "20", env=env)
            self.assertIn("embedded 83 movies with openai fake-small in 5 batches", p.stdout)
            reqs = fake.embedding_requests()
            self.assertEqual(len(reqs), 5)
            for r in reqs:
                self.assertEqual(r["path"], "/v1/embeddings")
                self.assertEqual(r["query"], "")
                self.assertEqual(r["headers"]["authorization"], "Bearer " + KEY)
                self.assertEqual(r["body"]["model"], "fake-small")
                self.assertLessEqual(len(r["body"]["input"]), 20)
                self.assertTrue(all("\n" not in t for t in r["body"]["input"]))
            self.assert_vectors_match("fake-small", rewrite=lambda s: s.replace("\n", " "))

            # Nothing left to do: no request at all.
            p = self.cinerec("embed", "--provider", "openai", env=env)
            self.assertIn("all 83 movies already have fake-small vectors", p.stdout)
            self.assertEqual(len(fake.embedding_requests()), 5)

            out = json.loads(self.cinerec("recommend", PROMPT, "--provider", "openai", "-k", "5", "--vector-only", "--json",
                                          env=env).stdout)
            self.assertEqual(out["provider"], "openai")
            self.assertEqual(out["model"], "fake-small")
            self.assert_ranking(out["results"], "fake-small", PROMPT, 5)
            self.assertEqual(len(fake.embedding_requests()), 6)
            self.assertEqual(fake.embedding_requests()[-1]["body"]["input"], [PROMPT])

            # The same prompt again comes from the query cache; --no-cache asks the API again.
            again = json.loads(self.cinerec("recommend", PROMPT, "--provider", "openai", "-k", "5", "--vector-only", "--json",
                                          env=env).stdout)
            self.assertEqual(again["results"], out["results"])
            self.assertEqual(len(fake.embedding_requests()), 6)
            self.cinerec("recommend", PROMPT, "--provider", "openai", "-k", "5", "--no-cache", env=env)
            self.assertEqual(len(fake.embedding_requests()), 7)
            rows = query(self.db, "SELECT provider, model, text_hash FROM query_cache")
            self.assertEqual(rows, [("openai", "fake-small", "sha256:" + hashlib.sha256(PROMPT.encode()).hexdigest())])

    def test_likes_and_dislikes_with_a_provider_place_the_prompt_in_its_space(self):
        with FakeEmbeddingServer(api_key=KEY) as fake:
            env = self.openai_env(fake)
            self.cinerec("embed", "--provider", "openai", env=env)
            stored = {t: v / np.linalg.norm(v) for t, (v, _) in stored_vectors(self.db, "fake-small").items()}
            prompt = np.asarray(vector_for(PROMPT), dtype=np.float64)
            prompt /= np.linalg.norm(prompt)
            for liked, disliked in [(["El padrino"], []), (["El padrino"], ["Matrix"])]:
                with self.subTest(liked=liked, disliked=disliked):
                    before = len(fake.embedding_requests())
                    args = [a for t in liked for a in ("--like", t)] + [a for t in disliked for a in ("--dislike", t)]
                    out = json.loads(self.cinerec("recommend", PROMPT, *args, "-k", "5", "--provider", "openai",
                                                  "--no-cache", "--json", env=env).stdout)
                    self.assertEqual((out["provider"], out["model"]), ("openai", "fake-small"))
                    self.assertEqual([r["body"]["input"] for r in fake.embedding_requests()[before:]], [[PROMPT]])
                    # Qdrant's average strategy: the mean of the positives (the prompt is one), pushed away
                    # from the mean of the negatives.
                    target = np.mean([stored[t] for t in liked] + [prompt], axis=0)
                    if disliked:
                        target = 2 * target - np.mean([stored[t] for t in disliked], axis=0)
                    target /= np.linalg.norm(target)
                    expected = sorted(((float(np.dot(target, v)), t) for t, v in stored.items()
                                       if t not in liked + disliked), reverse=True)[:5]
                    self.assertEqual([r["title"] for r in out["results"]], [t for _, t in expected])
                    for r, (score, _) in zip(out["results"], expected):
                        self.assertAlmostEqual(r["score"], score, places=4)
            # A provider that does not answer: the offline path places the prompt, and says so.
            fake.fault = (500, {}, {"error": {"message": "The server had an error"}})
            out = json.loads(self.cinerec("recommend", PROMPT, "--like", "El padrino", "-k", "5", "--provider", "openai",
                                          "--no-cache", "--json", env=self.openai_env(fake, CINEREC_HTTP_MAX_ATTEMPTS="1")).stdout)
            self.assertEqual(out["provider"], "offline")
            self.assertTrue(any("provider openai did not answer" in n for n in out["notices"]), out["notices"])
            self.assertNotIn("El padrino", [r["title"] for r in out["results"]])

    def test_changed_description_is_re_embedded(self):
        with FakeEmbeddingServer(api_key=KEY) as fake:
            env = self.openai_env(fake)
            self.cinerec("embed", "--provider", "openai", env=env)
            changed = [{"title": "El padrino", "description": "Otra descripción de una familia.", "genre": "Drama",
                        "year": "1972"}]
            path = self.tmp / "changed.json"
            path.write_text(json.dumps(changed), encoding="utf-8")
            run("import", path, "--quiet", db=self.db)
            before = len(fake.embedding_requests())
            p = self.cinerec("embed", "--provider", "openai", env=env)
            self.assertIn("embedded 1 movies", p.stdout)
            self.assertIn("82 already up to date", p.stdout)
            self.assertEqual(fake.embedded_texts()[-1], "Otra descripción de una familia.")
            self.assertEqual(len(fake.embedding_requests()), before + 1)

    def test_kill_in_the_middle_then_resume(self):
        with FakeEmbeddingServer(api_key=KEY) as fake:
            # Three batches are answered; the fourth request hangs until the process is killed.
            fake.hold_after = 3
            env = dict(os.environ)
            env.update(self.openai_env(fake))
            proc = subprocess.Popen([BIN, "--db", str(self.db), "embed", "--provider", "openai", "--batch-size", "5",
                                     "--concurrency", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.time() + 120
            while ((count_vectors(self.db, "fake-small") < 15 or len(fake.embedding_requests()) < 4)
                   and time.time() < deadline and proc.poll() is None):
                time.sleep(0.05)
            proc.kill()
            proc.communicate(timeout=60)
            saved = count_vectors(self.db, "fake-small")
            self.assertEqual(saved, 15, "the three answered batches are saved, nothing of the one in flight")
            missing = set(self.titles) - set(stored_vectors(self.db, "fake-small"))

            fake.hold_after = None
            fake.release.set()
            first_run_requests = len(fake.embedding_requests())
            p = self.cinerec("embed", "--provider", "openai", "--batch-size", "5", env=self.openai_env(fake))
            self.assertIn(f"embedded {83 - saved} movies", p.stdout)
            self.assertIn(f"({saved} already up to date)", p.stdout)
            resumed = fake.embedded_texts()[sum(len(r["body"]["input"]) for r in fake.embedding_requests()[:first_run_requests]):]
            self.assertEqual(sorted(resumed), sorted(self.titles[t].replace("\n", " ") for t in missing))
            self.assert_vectors_match("fake-small", rewrite=lambda s: s.replace("\n", " "))

    def test_ctrl_c_saves_the_batches_in_flight(self):
        with FakeEmbeddingServer(api_key=KEY) as fake:
            fake.delay = 0.25
            env = dict(os.environ)
            env.update(self.openai_env(fake))
            proc = subprocess.Popen([BIN, "--db", str(self.db), "embed", "--provider", "openai", "--batch-size", "5"],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.time() + 120
            while count_vectors(self.db, "fake-small") < 5 and time.time() < deadline and proc.poll() is None:
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
            self.assertEqual(proc.returncode, 130, out + err)
            self.assertIn("stopping after the batches in flight", err)
            self.assertIn("interrupted: embedded", out)
            saved = count_vectors(self.db, "fake-small")
            self.assertEqual(saved % 5, 0)
            self.assertEqual(len(fake.embedded_texts()), saved, "every answered batch was saved")
            p = self.cinerec("embed", "--provider", "openai", env=self.openai_env(fake))
            self.assertIn(f"embedded {83 - saved} movies", p.stdout)

    def test_rate_limit_and_server_error_are_retried(self):
        with FakeEmbeddingServer(api_key=KEY) as fake:
            fake.fail_next = [(429, {"Retry-After": "0"}, {"error": {"message": "Rate limit reached"}}),
                              (500, {}, {"error": {"message": "The server had an error"}})]
            p = self.cinerec("embed", "--provider", "openai", env=self.openai_env(fake))
            self.assertIn("embedded 83 movies", p.stdout)
            self.assertIn("HTTP 429: Rate limit reached; retrying", p.stderr)
            self.assertIn("HTTP 500: The server had an error; retrying", p.stderr)

    def test_wrong_key_fails_at_once_with_the_api_message(self):
        with FakeEmbeddingServer(api_key="sk-the-right-one") as fake:
            p = self.cinerec("embed", "--provider", "openai", env=self.openai_env(fake), check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("HTTP 401: Incorrect API key provided.", p.stderr)
            self.assertIn("0 of 83 movies were embedded and saved", p.stderr)
            self.assertLessEqual(len(fake.embedding_requests()), 2)  # at most --concurrency batches were in flight
            self.assertEqual(count_vectors(self.db, "fake-small"), 0)

    def test_query_model_must_match_the_catalog_vectors(self):
        run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=self.db)
        with FakeEmbeddingServer(api_key=KEY) as fake:
            p = self.cinerec("recommend", PROMPT, "--provider", "openai", env=self.openai_env(fake), check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("the catalog has no vectors from fake-small", p.stderr)
            self.assertIn("text-embedding-3-small (83 movies)", p.stderr)
            self.assertIn("run: cinerec embed --provider openai --model fake-small", p.stderr)
            self.assertEqual(fake.embedding_requests(), [], "no API call for a query that cannot be compared")

    def test_missing_key_names_the_variable(self):
        p = self.cinerec("embed", "--provider", "openai", env=self.env(), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("openai: not configured, set OPENAI_API_KEY", p.stderr)
        p = self.cinerec("embed", env=self.env(), check=False)
        self.assertIn("no embedding provider chosen", p.stderr)

    def test_gemini_ollama_and_tei_end_to_end(self):
        with FakeEmbeddingServer(api_key=GEMINI_KEY) as fake:
            cases = [
                ("gemini", self.env(GEMINI_API_KEY=GEMINI_KEY, GEMINI_BASE_URL=fake.url, GEMINI_EMBED_MODEL="fake-gem"),
                 "fake-gem"),
                ("ollama", self.env(OLLAMA_HOST=fake.url, OLLAMA_EMBED_MODEL="fake-ollama"), "fake-ollama"),
                ("tei", self.env(TEI_BASE_URL=fake.url), "fake-org/fake-tei-model"),
            ]
            for provider, env, model in cases:
                with self.subTest(provider=provider):
                    start = len(fake.embedding_requests())
                    p = self.cinerec("embed", "--provider", provider, env=env)
                    self.assertIn(f"embedded 83 movies with {provider} {model}", p.stdout)
                    self.assert_vectors_match(model)
                    out = json.loads(self.cinerec("recommend", PROMPT, "--provider", provider, "-k", "4", "--vector-only",
                                                  "--json", env=env).stdout)
                    self.assertEqual(out["model"], model)
                    self.assert_ranking(out["results"], model, PROMPT, 4)
                    reqs = fake.embedding_requests()[start:]
                    if provider == "gemini":
                        self.assertTrue(all(r["path"] == "/v1beta/models/fake-gem:batchEmbedContents" for r in reqs))
                        self.assertTrue(all(r["headers"]["x-goog-api-key"] == GEMINI_KEY and r["query"] == "" for r in reqs))
                        tasks = [q["taskType"] for r in reqs for q in r["body"]["requests"]]
                        self.assertEqual(tasks, ["RETRIEVAL_DOCUMENT"] * 83 + ["RETRIEVAL_QUERY"])
                    elif provider == "ollama":
                        self.assertTrue(all(r["path"] == "/api/embed" for r in reqs))
                    else:
                        self.assertTrue(all(r["path"] == "/embed" for r in reqs))
                        self.assertTrue(all(len(r["body"]["inputs"]) <= 16 for r in reqs))  # /info's batch limit

    def test_providers_lists_status_without_keys(self):
        env_file = self.tmp / "api_keys.env"
        env_file.write_text(f"openai_api_key={KEY}\n", encoding="utf-8")
        env = self.env(CINEREC_ENV_FILE=str(env_file), GEMINI_API_KEY=GEMINI_KEY)
        p = self.cinerec("providers", env=env)
        self.assertIn("openai: configured", p.stdout)
        self.assertIn(f"api key: set ({env_file}:1)", p.stdout)
        self.assertIn("gemini: configured", p.stdout)
        self.assertIn("api key: set (environment)", p.stdout)
        self.assertIn("openai-compatible: not configured", p.stdout)
        self.assertIn("missing: OPENAI_COMPATIBLE_BASE_URL", p.stdout)
        out = json.loads(self.cinerec("providers", "--json", env=env).stdout)
        self.assertEqual({p["name"]: p["configured"] for p in out["providers"]}["tei"], False)

    def test_malformed_dotenv_names_file_and_line(self):
        env_file = self.tmp / "bad.env"
        env_file.write_text(f"openai_api_key={KEY}\nthis is not an assignment\n", encoding="utf-8")
        p = self.cinerec("providers", env=self.env(CINEREC_ENV_FILE=str(env_file)), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"{env_file}:2: expected '=' after the name", p.stderr)


if __name__ == "__main__":
    main()
