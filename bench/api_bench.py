"""API benchmark: 20,000 leads in the embedded store, served by waitress (`chainlead serve`).

    .venv/bin/python -m bench.api_bench [--leads 20000] [--clients 20] [--seconds 20]

Prints JSON: the lead list's latency (page of 50, filtered and sorted) and the throughput of
read mixes with concurrent clients: Python clients (which share the two cores with the server)
and, when installed, wrk (a C client: closer to what the server alone can serve). The data are synthetic (labelled so), from bench/bureau.py.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.bureau import NOW, write_bureau
from bench.server import Client, cpu_seconds, free_port, percentile, serve, stop
from graph.engines.embedded import EmbeddedStore

__all__ = ["NOW", "percentile", "build"]  # pages_bench reads NOW and percentile from here


def build(path: Path, leads: int) -> str:
    """Write the synthetic world (bench/bureau.py) into an embedded file and return an admin token."""
    store = EmbeddedStore(path, buffer_pool_mb=512)
    try:
        return write_bureau(store, leads=leads).admin_token
    finally:
        store.close()


LIST_QUERIES = ["/api/v1/leads?stage=negotiating&sort=-expected_usd&page_size=50",
                "/api/v1/leads?priority=A&sort=-updated_at&page_size=50&page=3",
                "/api/v1/leads?q=synthetic&sort=title&page_size=50",
                "/api/v1/leads?chain=syn03&stage=contacted&stage=visited&page_size=50"]


def latency(port: int, token: str, n: int = 200) -> dict:
    client = Client(port, token)
    samples = []
    for i in range(n):
        status, seconds = client.get(LIST_QUERIES[i % len(LIST_QUERIES)])
        assert status == 200, status
        samples.append(seconds)
    return {"requests": n, "p50_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(percentile(samples, 0.95) * 1000, 1)}


MIXES = {
    "mixed": ((0.6, "lead"), (0.3, "list"), (0.1, "me")),
    "records": ((1.0, "lead"),),
}
MIX_TEXT = {"mixed": "60% lead by id, 30% filtered list page of 50, 10% /me", "records": "100% lead by id"}


def _pick(rnd: random.Random, mix: tuple[tuple[float, str], ...]) -> str:
    roll, edge = rnd.random(), 0.0
    for share, kind in mix:
        edge += share
        if roll < edge:
            return kind
    return mix[-1][1]


def throughput(port: int, token: str, clients: int, seconds: float, leads: int, mix: str = "mixed") -> dict:
    stop = time.monotonic() + seconds
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        client, rnd, mine = Client(port, token), random.Random(k), []
        while time.monotonic() < stop:
            kind = _pick(rnd, MIXES[mix])
            path = {"lead": f"/api/v1/leads/lead-syn-{rnd.randrange(leads):06d}",
                    "list": rnd.choice(LIST_QUERIES), "me": "/api/v1/me"}[kind]
            status, elapsed = client.get(path)
            mine.append((kind, status, elapsed))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    by_kind = {}
    for kind in ("lead", "list", "me"):
        times = [e for k, _, e in results if k == kind]
        if times:
            by_kind[kind] = {"requests": len(times), "p95_ms": round(percentile(times, 0.95) * 1000, 1)}
    return {"clients": clients, "seconds": round(wall, 1), "requests": len(results),
            "requests_per_s": round(len(results) / wall, 1),
            "errors_5xx": sum(1 for _, s, _ in results if s >= 500),
            "non_200": sum(1 for _, s, _ in results if s != 200),
            "p95_ms": round(percentile([e for _, _, e in results], 0.95) * 1000, 1), "by_kind": by_kind,
            "mix": MIX_TEXT[mix]}


WRK_SCRIPT = """math.randomseed(7)
request = function()
  return wrk.format("GET", string.format("/api/v1/leads/lead-syn-%%06d", math.random(0, %d)))
end
"""


def wrk_throughput(port: int, token: str, clients: int, seconds: float, leads: int, folder: Path) -> dict | str:
    """Lead by id from wrk, a C client that leaves the two cores to the server (when wrk is installed)."""
    if not shutil.which("wrk"):
        return "skipped: wrk is not installed (apt-get install wrk)"
    script = folder / "leads.lua"
    script.write_text(WRK_SCRIPT % (leads - 1))
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "-s", str(script),
                          "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    found = {k: re.search(pattern, out) for k, pattern in (
        ("requests_per_s", r"Requests/sec:\s+([\d.]+)"), ("p50", r"50%\s+([\d.]+\w+)"),
        ("p99", r"99%\s+([\d.]+\w+)"), ("non_2xx", r"Non-2xx or 3xx responses:\s+(\d+)"))}
    return {"clients": clients, "seconds": seconds, "mix": "100% lead by id",
            "requests_per_s": float(found["requests_per_s"].group(1)) if found["requests_per_s"] else None,
            "p50": found["p50"] and found["p50"].group(1), "p99": found["p99"] and found["p99"].group(1),
            "non_2xx": int(found["non_2xx"].group(1)) if found["non_2xx"] else 0}


FLOOR_SCRIPT = """math.randomseed(7)
local paths = {%s}
request = function()
  local path = paths[math.random(1, #paths)]
  if path == "lead" then path = string.format("/api/v1/leads/lead-syn-%%06d", math.random(0, %d)) end
  return wrk.format("GET", path)
end
"""
FLOOR_ROUTES = {"healthz": ["/healthz"], "lead": ["lead"], "list": LIST_QUERIES}


def _wrk_run(proc, port: int, token: str, paths: list[str], clients: int, seconds: float, leads: int,
             folder: Path) -> dict:
    """wrk on one route; the server's CPU seconds per request and per wall second over the run."""
    script = folder / "floor.lua"
    script.write_text(FLOOR_SCRIPT % (", ".join(f'"{p}"' for p in paths), leads - 1))
    cpu, wall = cpu_seconds([proc.pid]), time.monotonic()
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "-s", str(script),
                          "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    cpu, wall = cpu_seconds([proc.pid]) - cpu, time.monotonic() - wall
    done = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"requests_per_s": round(done / wall, 1), "cpu_ms_per_request": round(cpu * 1000 / max(done, 1), 2),
            "cores_used": round(cpu / wall, 2), "non_2xx": int(bad.group(1)) if bad else 0}


def against_floor(app, port: int, token: str, clients: int, seconds: float, leads: int, folder: Path,
                  threads: int = 8) -> dict | str:
    """Each route on the app beside the minimal Flask app (bench/floor.py) under the same waitress settings,
    measured in the same run: the ratio says what share of the floor the app serves."""
    if not shutil.which("wrk"):
        return "skipped: wrk is not installed (apt-get install wrk)"
    floor_port = free_port()
    floor = serve(floor_port, folder / "floor.log", db_path=folder / "unused", floor=True, threads=threads)
    try:
        out = {}
        for name, paths in FLOOR_ROUTES.items():
            base = _wrk_run(floor, floor_port, token, paths, clients, seconds, leads, folder)
            mine = _wrk_run(app, port, token, paths, clients, seconds, leads, folder)
            out[name] = {"app": mine, "floor": base,
                         "ratio": round(mine["requests_per_s"] / max(base["requests_per_s"], 0.1), 3)}
        return out
    finally:
        stop(floor)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--floor-only", action="store_true", help="only the routes beside the Flask floor")
    ap.add_argument("--threads", type=int, default=8, help="waitress threads, for the app and the floor alike")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lbug"
        t = time.perf_counter()
        token = build(path, args.leads)
        built = time.perf_counter() - t
        port = free_port()
        server = serve(port, path.with_suffix(".log"), db_path=path, threads=args.threads)
        try:
            latency(port, token, 20)  # warm-up; the first list also starts reading the lists' in-process copy
            time.sleep(3)  # which a background thread reads (crm/base/columns.py)
            out = {"bench": "api", "machine": f"{platform.node()} {os.cpu_count()} cpu, {platform.python_version()}",
                   "leads": args.leads, "build_s": round(built, 1), "server": f"waitress, {args.threads} threads",
                   "load_average": os.getloadavg(),
                   "against_floor": against_floor(server, port, token, args.clients, args.seconds, args.leads,
                                                  Path(tmp), args.threads)}
            if not args.floor_only:
                out |= {"lead_list": latency(port, token),
                        "throughput": {mix: throughput(port, token, args.clients, args.seconds, args.leads, mix)
                                       for mix in MIXES},
                        "throughput_wrk": wrk_throughput(port, token, args.clients, args.seconds, args.leads,
                                                         Path(tmp), args.threads)}
        finally:
            stop(server)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
