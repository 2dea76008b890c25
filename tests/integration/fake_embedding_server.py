"""A fake embedding API for the CLI end-to-end tests, run in a thread of the test process on 127.0.0.1.

It speaks the four wire protocols cinerec implements (OpenAI /v1/embeddings, Gemini batchEmbedContents,
Ollama /api/embed, TEI /embed + /info), records every request, and answers with deterministic
bag-of-words vectors (see `vector_for`), so a test can recompute any expected vector and ranking itself.
With `lookup` (text -> vector or None) it answers from a table instead, e.g. the seed's stored OpenAI
vectors (stored_vectors.py); a text the table lacks gets HTTP 400, so nothing passes unnoticed.
"""
import hashlib
import json
import re
import sys
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIM = 64
# Every setting that could point cinerec at a real provider; tests blank them all.
PROVIDER_VARS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_EMBED_MODEL", "OPENAI_EMBED_DIMENSIONS",
                 "GEMINI_API_KEY", "GEMINI_BASE_URL", "GEMINI_EMBED_MODEL", "GEMINI_EMBED_DIMENSIONS",
                 "OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_MODEL", "OPENAI_COMPATIBLE_API_KEY",
                 "OLLAMA_HOST", "OLLAMA_EMBED_MODEL", "TEI_BASE_URL", "TEI_MODEL", "TEI_API_KEY",
                 "CINEREC_PROVIDER", "CINEREC_LOCAL_MODEL_DIR"]


def fold(text):
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def vector_for(text, dim=DIM):
    """Hashed bag of words (accent- and case-folded) plus a constant component, so no vector is zero
    and texts sharing words are close: deterministic, and meaningful enough to rank by."""
    v = [0.0] * dim
    v[0] = 0.05
    for word in re.findall(r"\w+", fold(text)):
        if len(word) < 4:
            continue
        h = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
        v[1 + h % (dim - 1)] += 1.0
    return v


class FakeEmbeddingServer:
    def __init__(self, api_key=None, dim=DIM, lookup=None):
        self.api_key = api_key
        self.dim = dim
        self.lookup = lookup
        self.requests = []  # dicts: method, path, query, headers (lower-cased), body (parsed JSON or None)
        self.delay = 0.0  # seconds to wait before answering an embedding request
        self.fail_next = []  # (status, headers, body) answered, in order, before normal replies
        # With hold_after = N, embedding requests after the first N wait for `release` before answering,
        # so a test can stop a client at an exact point instead of racing a timer.
        self.hold_after = None
        self.release = threading.Event()
        # A lasting fault, for every embedding request once `fault_after` of them were answered
        # normally: (status, headers, body) answered as is, "garbage" (a 200 that is not JSON),
        # "hang" (no answer until the server stops) or "close" (the connection is dropped unanswered).
        self.fault = None
        self.fault_after = 0
        self.answered = 0  # embedding requests answered normally
        self.stopping = threading.Event()  # set on exit, so hanging handlers return
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self.handle_any("GET")

            def do_POST(self):
                self.handle_any("POST")

            def handle_any(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                path, _, query = self.path.partition("?")
                record = {"method": method, "path": path, "query": query,
                          "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                with server.lock:
                    server.requests.append(record)
                    scripted = server.fail_next.pop(0) if server.fail_next and path != "/info" else None
                    held = (server.hold_after is not None and path != "/info" and
                            len([r for r in server.requests if r["path"] != "/info"]) > server.hold_after)
                    fault = server.fault if path != "/info" and server.answered >= server.fault_after else None
                    if path != "/info" and not scripted and not fault:
                        server.answered += 1
                if held:
                    server.release.wait(timeout=120)
                if scripted:
                    status, headers, payload = scripted
                    return self.reply(status, payload, headers)
                if fault == "hang":
                    server.stopping.wait(600)
                    self.close_connection = True
                    return None
                if fault == "close":
                    self.close_connection = True
                    return None
                if fault == "garbage":
                    return self.reply(200, b"<html>upstream gateway says hello")
                if fault:
                    status, headers, payload = fault
                    return self.reply(status, payload, headers)
                status, payload = server.answer(method, path, record)
                if server.delay and path != "/info":
                    time.sleep(server.delay)
                self.reply(status, payload)

            def reply(self, status, payload, headers=None):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client was killed mid-request, as some tests do on purpose

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # Clients killed mid-request (on purpose, in the crash tests) reset their connections.
                if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def embedding_requests(self):
        with self.lock:
            return [r for r in self.requests if r["path"] != "/info"]

    def embedded_texts(self):
        """Every text the server was asked to embed, in arrival order (OpenAI, Ollama and TEI bodies)."""
        texts = []
        for r in self.embedding_requests():
            body = r["body"] or {}
            if "input" in body:
                texts += body["input"]
            elif "inputs" in body:
                texts += body["inputs"]
            elif "requests" in body:
                texts += [q["content"]["parts"][0]["text"] for q in body["requests"]]
        return texts

    def unauthorized(self, record, header, prefix=""):
        if self.api_key is None:
            return None
        sent = record["headers"].get(header, "")
        if sent != prefix + self.api_key:
            return 401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}}
        return None

    def vector(self, text):
        if self.lookup is None:
            return vector_for(text, self.dim)
        found = self.lookup(text)
        if found is None:
            raise KeyError(text)
        return found

    def answer(self, method, path, record):
        try:
            return self.answer_known(method, path, record)
        except KeyError as e:
            return 400, {"error": {"message": f"no stored vector for {str(e)[:80]}", "type": "invalid_request_error"}}

    def answer_known(self, method, path, record):
        body = record["body"] or {}
        if path == "/v1/embeddings" and method == "POST":
            denied = self.unauthorized(record, "authorization", "Bearer ")
            if denied:
                return denied
            data = [{"object": "embedding", "index": i, "embedding": self.vector(t)}
                    for i, t in enumerate(body["input"])]
            return 200, {"object": "list", "data": data, "model": body["model"]}
        if path.endswith(":batchEmbedContents") and method == "POST":
            denied = self.unauthorized(record, "x-goog-api-key")
            if denied:
                return denied
            return 200, {"embeddings": [{"values": self.vector(q["content"]["parts"][0]["text"])}
                                        for q in body["requests"]]}
        if path == "/api/embed" and method == "POST":
            return 200, {"model": body["model"], "embeddings": [self.vector(t) for t in body["input"]]}
        if path == "/embed" and method == "POST":
            return 200, [self.vector(t) for t in body["inputs"]]
        if path == "/info" and method == "GET":
            return 200, {"model_id": "fake-org/fake-tei-model", "max_client_batch_size": 16}
        return 404, {"error": f"no route {method} {path}"}
