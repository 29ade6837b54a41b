"""Real servers for the reliability tests: the app under waitress in this process, or `chainlead serve`
in a child process that a test may SIGKILL; and a small HTTP client that never raises on a status."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from tests.conftest import ROOT

SECRET = "reliability-tests-secret-key"


@dataclass
class Answer:
    status: int
    headers: Any  # case-insensitive (an http.client.HTTPMessage)
    body: Any


def call(method: str, url: str, *, token: str | None = None, body: Any = None,
         headers: dict[str, str] | None = None, timeout: float = 30) -> Answer:
    """One HTTP request; the answer whatever its status (connection errors still raise)."""
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw, status, got = response.read(), response.status, response.headers
    except urllib.error.HTTPError as exc:
        raw, status, got = exc.read(), exc.code, exc.headers
    text = raw.decode("utf-8", "replace")
    try:
        parsed: Any = json.loads(text) if text else None
    except json.JSONDecodeError:
        parsed = text
    return Answer(status, got, parsed)


class Relay:
    """A TCP relay to a server that a test can cut (every connection dropped, new ones refused) and
    restore: to the app, as if the server stopped and came back, without a real server's restart."""

    def __init__(self, host: str, port: int):
        self.target, self.port = (host, port), free_port()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        if self._listener is not None:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
            self._listener.close()
            self._listener = None
        with self._lock:
            dropped, self._open = self._open, set()
        for sock in dropped:
            self._close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            self._close(sock)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def wsgi_server(app: Any, *, threads: int = 24) -> Iterator[str]:
    """The app behind waitress on 127.0.0.1 in a thread; yields its base URL."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    stop = threading.Event()

    def loop() -> None:
        """Serve until told to stop, then close every socket from this same thread (closing them
        from another thread races the poll and fails with EBADF)."""
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, use_poll=True, count=1)
        for channel in list(server._map.values()):
            channel.close()
        server.task_dispatcher.shutdown()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=30)


def wait_until_up(base: str, *, timeout: float = 60, process: subprocess.Popen | None = None,
                  log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if call("GET", base + "/healthz", timeout=5).status == 200:
                return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            said = log.read_text(errors="replace")[-2000:] if log else ""
            raise AssertionError(f"the server exited ({process.returncode}): {said}")
        assert time.monotonic() < deadline, f"{base} did not come up within {timeout} s"
        time.sleep(0.2)


@contextmanager
def serve_process(db_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """`chainlead serve` on the embedded file in a child process (no scheduler); killed at the end if alive.

    Its output goes to serve.log beside the database (a pipe nobody reads would fill and stall it).
    """
    port, log = free_port(), db_path.with_name("serve.log")
    env = dict(os.environ, CHAINLEAD_DB_PATH=str(db_path), CHAINLEAD_SECRET_KEY=SECRET, CHAINLEAD_BUFFER_POOL_MB="256")
    env.pop("CHAINLEAD_NEO4J_URI", None)
    with log.open("ab") as sink:
        process = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--threads", "8",
                                    "--no-scheduler"], cwd=ROOT, env=env, stdout=sink, stderr=sink)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process=process, log=log)
        yield process, base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
