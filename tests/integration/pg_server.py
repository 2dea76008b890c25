"""A throwaway PostgreSQL server for tests (stdlib only).

PostgresServer() runs initdb in a temporary directory and starts postgres on a free loopback port, its
unix socket in that directory; stop() tears it all down. PostgreSQL refuses to run as root, so when the
tests run as root the cluster belongs to `nobody`. The superuser "cinerec" has a password over TCP
(what cinerec uses, so wrong credentials can be tested) and trust over the unix socket (what the
fixture's own psql uses).
"""
import hashlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("CINEREC_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "cinerec"
PASSWORD = "s3cret-Pa55"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self):
        if not (PG_BIN / "postgres").exists():
            raise RuntimeError(f"{PG_BIN}/postgres not found: install postgresql-15 (scripts/install-deps.sh)")
        self.dir = Path(tempfile.mkdtemp(prefix="cinerec-pg-"))
        self.data = self.dir / "data"
        self.socket_dir = self.dir / "run"
        self.log = self.dir / "postgres.log"
        self.socket_dir.mkdir()
        self._user = None
        if os.geteuid() == 0:
            entry = pwd.getpwnam("nobody")
            self._user = (entry.pw_uid, entry.pw_gid)
            os.chmod(self.dir, 0o755)
            for path in (self.dir, self.socket_dir):
                os.chown(path, *self._user)
        self.port = None
        self.process = None
        self._databases = 0
        try:
            pwfile = self.dir / "pw"
            pwfile.write_text(PASSWORD + "\n")
            if self._user:
                os.chown(pwfile, *self._user)
            self._run([PG_BIN / "initdb", "-D", self.data, "-U", SUPERUSER, f"--pwfile={pwfile}", "-E", "UTF8",
                       "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"])
            pwfile.unlink()
            self.start()
        except BaseException:
            self.stop()
            raise

    def _as_owner(self):
        if not self._user:
            return {}
        return {"user": self._user[0], "group": self._user[1], "extra_groups": []}

    def _run(self, cmd, **kwargs):
        p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=self.dir, timeout=120,
                           **self._as_owner(), **kwargs)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{p.stdout}\n{p.stderr}")
        return p.stdout

    def start(self):
        """Starts postgres (on the same port as before, after a stop) and waits until it accepts connections."""
        for _ in range(5):
            port = self.port or _free_port()
            log = open(self.log, "a")
            self.process = subprocess.Popen(
                [str(PG_BIN / "postgres"), "-D", str(self.data), "-p", str(port), "-k", str(self.socket_dir),
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "max_connections=60", "-c", "shared_buffers=16MB"],
                stdout=log, stderr=subprocess.STDOUT, cwd=self.dir, start_new_session=True, **self._as_owner())
            log.close()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and self.process.poll() is None:
                ready = subprocess.run([str(PG_BIN / "pg_isready"), "-q", "-h", str(self.socket_dir), "-p", str(port)])
                if ready.returncode == 0:
                    self.port = port
                    return
                time.sleep(0.05)
            self._kill()
            if self.port:  # the old port was taken meanwhile: nothing else to try
                break
        raise RuntimeError(f"postgres did not start; log:\n{self.log.read_text()}")

    def _kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown: disconnects clients, rolls back
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self):
        """Stops the server, keeping the data (start() brings it back)."""
        self._kill()

    def restart(self):
        self.stop()
        self.start()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database, user=SUPERUSER, password=PASSWORD):
        auth = f"{user}:{password}@" if password is not None else f"{user}@"
        return f"postgresql://{auth}127.0.0.1:{self.port}/{database}"

    def psql(self, sql, database="postgres"):
        """Runs SQL over the unix socket as the superuser; returns unaligned, tuples-only output."""
        return subprocess.run(
            [str(PG_BIN / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket_dir),
             "-p", str(self.port), "-U", SUPERUSER, "-d", database, "-c", sql],
            capture_output=True, text=True, check=True, timeout=60).stdout

    def create_database(self, prefix="t"):
        """A new empty database; returns its name."""
        self._databases += 1
        name = f"{prefix}_{self._databases}"
        self.psql(f'CREATE DATABASE "{name}"')
        return name

    def digest(self, database):
        """Hash of every row of every table (rows sorted as text): equal digests mean nothing was written."""
        tables = self.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database).split()
        h = hashlib.sha256()
        for table in tables:
            h.update(table.encode() + b"\n")
            h.update(self.psql(f'SELECT t::text FROM "{table}" t ORDER BY 1', database).encode())
        return h.hexdigest()
