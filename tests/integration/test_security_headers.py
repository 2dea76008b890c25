"""Security headers and the absence of write endpoints, against the real `cinerec serve`.

- Every kind of response (HTML pages, JSON, JSON errors incl. 404/405 and the 413 the HTTP layer makes
  itself, static assets, SVG charts, posters) carries X-Content-Type-Options: nosniff,
  Referrer-Policy: no-referrer, X-Frame-Options: DENY and a Content-Security-Policy that allows only
  this origin ('self'), no inline or eval'd script or style, no plugins, no framing; SVG charts get a
  policy without any script source. JSON answers are never cached (Cache-Control: no-store).
- The front end works under that policy: index.html loads scripts and styles only from /static, with
  no inline script, style attribute or event-handler attribute, and nothing from another origin; the
  scripts never build HTML from strings, eval, or set style attributes (a scan with its own
  self-test). The browser tests (tests/browser) fail on any console error, which is where Chromium
  reports a CSP violation.
- The API has no write endpoint: every operation of the OpenAPI document is a GET, except POST
  /api/recommend, which reads only; the server answers 405 to any other method on every documented
  path. A write endpoint added later fails this test until it requires a token (docs/RELIABILITY.md).
"""
# cinerec-test: both-stores
import json
import re
import socket
import tempfile
import unittest
from pathlib import Path

from cinerec_test import SEED_DIR, SOURCE_DIR, main, new_store, run
from server_helper import Server, request

WEB = SOURCE_DIR / "src" / "server" / "web"
READ_ONLY_POSTS = {"/api/recommend"}


def csp(header):
    """{directive: [sources]} of a Content-Security-Policy header."""
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def inline_code_problems(html, scripts):
    """What would break (or weaken) a self-only CSP in the front end's sources."""
    problems = []
    for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I):
        if "src=" not in m.group(1) or m.group(2).strip():
            problems.append("inline <script>")
    if re.search(r"<style\b", html, re.I):
        problems.append("inline <style>")
    if re.search(r"\sstyle\s*=", html, re.I):
        problems.append("style attribute")
    if re.search(r"\son[a-z]+\s*=", html, re.I):
        problems.append("event-handler attribute")
    if re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.I):
        problems.append("resource from another origin")
    for name, code in scripts.items():
        for pattern, what in [(r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write", "HTML from strings"),
                              (r"\beval\s*\(|new\s+Function\s*\(", "eval"),
                              (r"setAttribute\(\s*[\"']style[\"']|\bstyle\s*:\s*[\"'`]", "style attribute"),
                              (r"setAttribute\(\s*[\"']on[a-z]+[\"']", "event-handler attribute"),
                              (r"(?:fetch|import)\s*\(\s*[\"'`](?:https?:)?//", "request to another origin")]:
            if re.search(pattern, code):
                problems.append(f"{name}: {what}")
    return problems


class SecurityHeaders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="cinerec-headers-")
        cls.tmp = Path(cls._tmp.name)
        cls.db = new_store(cls.tmp, "seed")
        run("import", SEED_DIR / "movie_descriptions.json", "--quiet", db=cls.db)
        run("add-embeddings", SEED_DIR / "movie_descriptions_embeddings.json", db=cls.db)
        cls.server = Server(cls.db, cls.tmp)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls._tmp.cleanup()

    def assert_secure(self, what, headers, svg=False):
        self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff", what)
        self.assertEqual(headers.get("Referrer-Policy"), "no-referrer", what)
        self.assertEqual(headers.get("X-Frame-Options"), "DENY", what)
        policy = csp(headers.get("Content-Security-Policy", ""))
        self.assertEqual(policy.get("frame-ancestors"), ["'none'"], what)
        if svg:
            self.assertEqual(policy["default-src"], ["'none'"], what)
            self.assertNotIn("script-src", policy, what)
            return
        self.assertEqual(policy["default-src"], ["'self'"], what)
        self.assertEqual(policy["script-src"], ["'self'"], what)
        self.assertEqual(policy["style-src"], ["'self'"], what)
        self.assertEqual(policy["object-src"], ["'none'"], what)
        self.assertEqual(policy["base-uri"], ["'none'"], what)
        for sources in policy.values():
            for bad in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
                self.assertNotIn(bad, sources, what)

    def test_every_kind_of_response_carries_the_headers(self):
        url = self.server.url
        cases = [("/", "text/html", 200), ("/recomendaciones", "text/html", 200), ("/peliculas/1", "text/html", 200),
                 ("/no/such/page", "text/html", 404), ("/api/health", "application/json", 200),
                 ("/api/movies?q=padrino", "application/json", 200), ("/api/stats", "application/json", 200),
                 ("/api/recommend?prompt=piano", "application/json", 200),
                 ("/api/recommend?prompt=piano&k=0", "application/json", 422),
                 ("/api/movies/999999", "application/json", 404), ("/api/nothing", "application/json", 404),
                 ("/static/app.js", "text/javascript", 200), ("/static/style.css", "text/css", 200),
                 ("/posters/1", "image/", 200), ("/api/openapi.json", "application/json", 200)]
        for path, content_type, status in cases:
            with self.subTest(path=path):
                got, headers, _ = request(url + path)
                self.assertEqual(got, status)
                self.assertIn(content_type, headers["Content-Type"])
                self.assert_secure(path, headers, svg="svg" in headers["Content-Type"])
                if content_type == "application/json" and path != "/api/openapi.json":
                    self.assertEqual(headers["Cache-Control"], "no-store", path)
        got, headers, _ = request(url + "/charts/genre.svg")
        self.assertEqual((got, headers["Content-Type"].split(";")[0]), (200, "image/svg+xml"))
        self.assert_secure("chart", headers, svg=True)
        got, headers, _ = request(url + "/api/stats", method="DELETE")
        self.assertEqual(got, 405)
        self.assert_secure("405", headers)
        # Made by the HTTP layer before any handler runs.
        got, headers, body = request(url + "/api/recommend", method="POST", body=b"{" + b" " * (70 * 1024) + b"}",
                                     headers={"Content-Type": "application/json"})
        self.assertEqual((got, json.loads(body)["error"]["code"]), (413, "payload_too_large"))
        self.assert_secure("413", headers)

    def test_malformed_request_line_gets_the_headers_too(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
            s.sendall(b"HELLO\r\n\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        head = answer.split(b"\r\n\r\n")[0].decode("latin1")
        status = int(head.split()[1])
        headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:])
        self.assertGreaterEqual(status, 400, head)
        self.assert_secure("malformed request", headers)

    def test_front_end_needs_no_inline_code(self):
        html = (WEB / "index.html").read_text(encoding="utf-8")
        scripts = {p.name: p.read_text(encoding="utf-8") for p in WEB.glob("*.js")}
        self.assertIn("app.js", scripts)
        self.assertEqual(inline_code_problems(html, scripts), [])
        css = (WEB / "style.css").read_text(encoding="utf-8")
        self.assertIsNone(re.search(r"url\(\s*[\"']?(?:https?:)?//|@import", css), "style.css loads another origin")
        # The scan itself notices each kind of problem.
        spliced = html.replace("</body>", '<script>alert(1)</script><p style="x" onclick="y">'
                                          '<img src="https://cdn.example/x.png"></body>')
        self.assertEqual(inline_code_problems(spliced, {"x.js": 'a.innerHTML = b; eval(c); el("p", { style: "x" })'}),
                         ["inline <script>", "style attribute", "event-handler attribute",
                          "resource from another origin", "x.js: HTML from strings", "x.js: eval",
                          "x.js: style attribute"])

    def test_the_api_has_no_write_endpoint(self):
        doc = json.loads((WEB / "openapi.json").read_text(encoding="utf-8"))
        paths = doc["paths"]
        self.assertIn("/api/recommend", paths)
        for path, operations in paths.items():
            methods = {m for m in operations if m in ("get", "put", "post", "patch", "delete")}
            allowed = {"get", "post"} if path in READ_ONLY_POSTS else {"get"}
            self.assertLessEqual(methods, allowed,
                                 f"{path} documents {sorted(methods - allowed)}: a write endpoint must require a "
                                 "token from the environment and be off by default (docs/RELIABILITY.md)")
            # A path parameter takes its first documented enum value, else 1 (an id).
            values = {p["name"]: (p.get("schema", {}).get("enum") or [1])[0]
                      for op in operations.values() if isinstance(op, dict)
                      for p in op.get("parameters", []) if p.get("in") == "path"}
            concrete = re.sub(r"\{([^}]+)\}", lambda m: str(values.get(m.group(1), 1)), path)
            for method in ("PUT", "PATCH", "DELETE") + (() if path in READ_ONLY_POSTS else ("POST",)):
                status, headers, _ = request(self.server.url + concrete, method=method, body=b"{}",
                                             headers={"Content-Type": "application/json"})
                self.assertEqual(status, 405, f"{method} {concrete}")
                self.assertNotIn(method, headers["Allow"], f"{method} {concrete}")


if __name__ == "__main__":
    main()
