"""Starts the real `cinerec serve` on a free loopback port for API and browser tests (stdlib only)."""
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from cinerec_test import BIN

# Provider settings a developer may have exported; a test server must never see them.
_PROVIDER_ENV = re.compile(r"^(OPENAI|GEMINI|OPENAI_COMPATIBLE|OLLAMA|TEI|CINEREC)_")


class Server:
    """`cinerec serve --port 0` in its own working directory; the port is read from its first line."""

    def __init__(self, db, workdir, extra_args=(), env=None):
        self.workdir = Path(workdir)
        self.stderr_path = self.workdir / f"serve-{id(self)}.log"
        clean = {k: v for k, v in os.environ.items() if not _PROVIDER_ENV.match(k)}
        clean["CINEREC_ENV_FILE"] = str(self.workdir / "no-such.env")
        clean.update(env or {})
        self._stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(
            [BIN, "--db", str(db), "serve", "--host", "127.0.0.1", "--port", "0", *extra_args],
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, cwd=self.workdir, env=clean)
        line = self._first_line(timeout=60)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line or "")
        if not m:
            self.stop()
            raise AssertionError(f"cinerec serve did not start: {line!r}\n{self.log()}")
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def _first_line(self, timeout):
        box = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        return box[0] if box else None

    def log(self):
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=20):
        """Sends `sig` and returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()
        return self.proc.returncode


def request(url, method="GET", body=None, headers=None, timeout=60):
    """Returns (status, headers, body bytes) without raising on HTTP errors."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, res.headers, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
