"""`chainlead serve` for benchmarks on 127.0.0.1, and a keep-alive JSON client that times each call.

The server's output goes to a log file: a pipe nobody reads fills up and stalls the server.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SECRET = "bench-secret-key-0123456789abcdef"
NEO4J_TOOLS = Path(__file__).resolve().parent.parent / "tools" / "neo4j"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, log: Path, *, db_path: Path | None = None, neo4j_uri: str | None = None,
          threads: int = 8, reuse_port: bool = False, via_app: bool = False, web_processes: int = 0,
          floor: bool = False) -> subprocess.Popen:
    """Start `chainlead serve --no-scheduler` on the embedded file or on Neo4j (or, with floor, the minimal
    Flask app of bench/floor.py under the same waitress settings); returns once it serves.

    With `reuse_port` several processes share the port (`serve --reuse-port`); each is waited for
    by its own log line, as /healthz may be answered by another. With `web_processes` the process
    started owns the file and starts that many web processes (`serve --web-processes N`): all are waited for."""
    env = dict(os.environ, CHAINLEAD_SECRET_KEY=SECRET, CHAINLEAD_DEMO="false")
    env.pop("CHAINLEAD_NEO4J_URI", None)
    if neo4j_uri:
        env["CHAINLEAD_NEO4J_URI"] = neo4j_uri
    else:
        env["CHAINLEAD_DB_PATH"] = str(db_path)
    command = ["bench.floor", str(port), str(threads)] if floor else [
        "web.cli", "serve", "--port", str(port), "--threads", str(threads), "--no-scheduler",
        *(["--reuse-port"] if reuse_port else []), *(["--via-app"] if via_app else []),
        *(["--web-processes", str(web_processes)] if web_processes else [])]
    with log.open("ab") as sink:
        proc = subprocess.Popen([sys.executable, "-m", *command], env=env, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if log.read_text(errors="replace").count("Serving on") < max(web_processes, int(reuse_port)):
            time.sleep(0.3)
            continue
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError("server did not start: " + log.read_text(errors="replace")[-2000:])


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)


class Client:
    """One keep-alive connection to 127.0.0.1 acting with one API token."""

    def __init__(self, port: int, token: str, timeout: float = 60):
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, str], float]:
        """(status, parsed JSON or None, lower-cased headers, seconds); a dropped connection is reopened and
        counts as 599."""
        sent = {**self.headers, **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=sent)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            return 599, None, {}, time.perf_counter() - started
        elapsed = time.perf_counter() - started
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed, {k.lower(): v for k, v in response.getheaders()}, elapsed

    def get(self, path: str) -> tuple[int, float]:
        status, _, _, elapsed = self.call("GET", path)
        return status, elapsed


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return total / tick


def family(pid: int) -> list[int]:
    """The process and its children (the web processes of `serve --web-processes`), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return [pid, *sorted(children)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]
