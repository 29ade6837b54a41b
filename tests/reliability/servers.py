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
