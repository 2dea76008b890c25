"""/api/recommend with an embedding provider, over real HTTP on both sides: `cinerec serve` asks a
fake OpenAI-compatible server (a thread of this test, on loopback) to embed the prompt; when the
provider is down it answers offline with a notice, or 503 if the request said fallback=false. No real API is ever called."""
# cinerec-test: both-stores
import json
import socket
import tempfile
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cinerec_test import SEED_DIR, main, new_store, run
from server_helper import Server, request

SEED = json.loads((SEED_DIR / "movie_descriptions_embeddings.json").read_text())
PIANIST = next(m for m in SEED if m["title"] == "El pianista")["embedding"]


class FakeEmbeddings(BaseHTTPRequestHandler):
    """Answers POST /v1/embeddings with El pianista's stored vector for every input."""
    prompts = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeEmbeddings.prompts.extend(body["input"])
        answer = json.dumps({"object": "list", "model": body["model"],
                             "data": [{"object": "embedding", "index": i, "embedding": PIANIST}
                                      for i in range(len(body["input"]))]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ProviderRecommendations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="cinerec-providers-")
        cls.tmp = Path(cls._tmp.name)
        cls.db = new_store(cls.tmp, "seed")
        run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=cls.db)
        run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=cls.db)
        cls.fake = ThreadingHTTPServer(("127.0.0.1", 0), FakeEmbeddings)
        threading.Thread(target=cls.fake.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.fake.shutdown()
        cls._tmp.cleanup()

    def recommend(self, server, payload):
        status, _, body = request(server.url + "/api/recommend", method="POST", body=json.dumps(payload).encode(),
                                  headers={"Content-Type": "application/json"})
        return status, json.loads(body)

    def test_provider_answers(self):
        server = Server(self.db, self.tmp, env={
            "OPENAI_COMPATIBLE_BASE_URL": f"http://127.0.0.1:{self.fake.server_address[1]}/v1",
            "OPENAI_COMPATIBLE_MODEL": "text-embedding-3-small",
            "OPENAI_COMPATIBLE_API_KEY": "sk-FAKE-KEY-0001",
        })
        try:
            health = json.loads(request(server.url + "/api/health")[2])
            self.assertIn({"name": "openai-compatible", "configured": True}, health["providers"])
            status, recs = self.recommend(server, {"prompt": "alguien que toca el piano", "k": 3,
                                                   "provider": "openai-compatible"})
            self.assertEqual(status, 200, recs)
            self.assertEqual((recs["provider"], recs["model"]), ("openai-compatible", "text-embedding-3-small"))
            self.assertEqual(recs["results"][0]["title"], "El pianista")
            # Hybrid: the provider's cosine (1: the fake returns El pianista's own vector), min-max
            # normalized, is fused with BM25 and the genre/era fit as offline.
            top = recs["results"][0]
            self.assertAlmostEqual(top["explain"]["vector"], 1.0, places=5)
            self.assertAlmostEqual(top["score"], 0.5 * top["explain"]["lexical"] + 0.5 + 0.2 * top["explain"]["intent"],
                                   places=5)
            self.assertIn("alguien que toca el piano", FakeEmbeddings.prompts)
            # The same provider over GET, with a filter that excludes El pianista.
            status, _, body = request(server.url + "/api/recommend?provider=openai-compatible&k=2&genre=Western&prompt=piano")
            recs = json.loads(body)
            self.assertEqual(status, 200, recs)
            self.assertTrue(all("Western" in r["genres"] for r in recs["results"]))
        finally:
            server.stop()
        self.assertNotIn("sk-FAKE-KEY-0001", server.log())

    def test_model_without_vectors_is_422(self):
        server = Server(self.db, self.tmp, env={
            "OPENAI_COMPATIBLE_BASE_URL": f"http://127.0.0.1:{self.fake.server_address[1]}/v1",
            "OPENAI_COMPATIBLE_MODEL": "some-other-model",
        })
        try:
            status, answer = self.recommend(server, {"prompt": "piano", "provider": "openai-compatible"})
            self.assertEqual(status, 422, answer)
            self.assertEqual(answer["error"]["code"], "provider_model_mismatch")
            self.assertIn("some-other-model", answer["error"]["message"])
        finally:
            server.stop()

    def test_provider_down_is_503_when_strict_else_offline(self):
        server = Server(self.db, self.tmp, env={
            "OPENAI_COMPATIBLE_BASE_URL": f"http://127.0.0.1:{closed_port()}/v1",
            "OPENAI_COMPATIBLE_MODEL": "text-embedding-3-small",
            "OPENAI_COMPATIBLE_API_KEY": "sk-FAKE-KEY-0002",
            "CINEREC_HTTP_MAX_ATTEMPTS": "1",
        })
        try:
            status, answer = self.recommend(server, {"prompt": "piano", "provider": "openai-compatible",
                                                     "fallback": False})
            self.assertEqual(status, 503, answer)
            self.assertEqual(answer["error"]["code"], "provider_unavailable")
            self.assertNotIn("sk-FAKE-KEY-0002", answer["error"]["message"])
            # By default the offline path answers instead, and says so.
            status, recs = self.recommend(server, {"prompt": "película de un pianista", "provider": "openai-compatible"})
            self.assertEqual((status, recs["results"][0]["title"]), (200, "El pianista"))
            self.assertEqual((recs["provider"], recs["fallback"]["from"]), ("offline", "openai-compatible"))
            self.assertNotIn("sk-FAKE-KEY-0002", json.dumps(recs))
        finally:
            server.stop()
        self.assertNotIn("sk-FAKE-KEY-0002", server.log())


if __name__ == "__main__":
    main()
