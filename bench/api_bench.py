"""API benchmark: 20,000 leads in the embedded store, served by waitress (`chainlead serve`).

    .venv/bin/python -m bench.api_bench [--leads 20000] [--clients 20] [--seconds 20]

Prints JSON: the lead list's latency (page of 50, filtered and sorted) and the throughput of a
read mix with concurrent clients. The data are synthetic (labelled so) and generated here.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.synthetic import generate
from crm.access import SYSTEM
from crm.users import create_token, create_user
from graph.cypher import merge_rels, upsert_nodes
from graph.engines.embedded import EmbeddedStore
from graph.meta import initialise

STAGES = ["identified", "contacted", "visited", "negotiating", "signed", "dropped"]
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def build(path: Path, leads: int) -> str:
    """Write the synthetic world and return an admin token."""
    store = EmbeddedStore(path, buffer_pool_mb=512)
    initialise(store, now=NOW)
    g = generate(companies=5000, links=400, makes=20_000, feeds=800, chains=10)
    upsert_nodes(store, "Chain", g.chains)
    upsert_nodes(store, "ChainNode", g.links)
    upsert_nodes(store, "District", g.districts)
    upsert_nodes(store, "Company", g.companies)
    merge_rels(store, "PART_OF", "ChainNode", "Chain", g.part_of)
    admin = create_user(store, username="bench", password="bench-password", role="admin", actor=SYSTEM, now=NOW)
    owners = [create_user(store, username=f"staff{i}", password="bench-password", role="staff", actor=SYSTEM,
                          now=NOW, synthetic=True).id for i in range(20)]
    rnd = random.Random(11)
    links = [rnd.choice(g.links) for _ in range(leads)]
    rows = [{"id": f"lead-syn-{i:06d}", "title": f"合成线索 {i:06d} synthetic lead", "stage": rnd.choice(STAGES),
             "chain_id": links[i]["chain_id"], "search_text": f"合成线索 {i:06d} synthetic lead | {links[i]['name_zh']}",
             "priority": rnd.choice("ABC"), "expected_usd": rnd.randrange(1, 300) * 1_000_000,
             "source": "ranking", "created_at": NOW - timedelta(days=rnd.randrange(700)),
             "updated_at": NOW - timedelta(days=rnd.randrange(100)), "version": 1, "archived": False,
             "synthetic": True} for i in range(leads)]
    upsert_nodes(store, "Lead", rows)
    merge_rels(store, "TARGETS", "Lead", "Company",
               [{"src": r["id"], "dst": rnd.choice(g.companies)["id"]} for r in rows])
    merge_rels(store, "FILLS", "Lead", "ChainNode", [{"src": r["id"], "dst": link["id"]} for r, link in zip(rows, links)])
    merge_rels(store, "LANDS_IN", "Lead", "District",
               [{"src": r["id"], "dst": rnd.choice(g.districts)["id"]} for r in rows])
    merge_rels(store, "OWNED_BY", "Lead", "User", [{"src": r["id"], "dst": rnd.choice(owners)} for r in rows
                                                   if rnd.random() < 0.8])
    token, _ = create_token(store, admin.id, "bench", actor=SYSTEM, now=NOW)
    store.close()
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(path: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, CHAINLEAD_DB_PATH=str(path), CHAINLEAD_SECRET_KEY="bench-secret-key-0123456789abcdef", CHAINLEAD_DEMO="false")
    env.pop("CHAINLEAD_NEO4J_URI", None)
    log = open(path.with_suffix(".log"), "wb")  # a pipe nobody reads would fill up and stall the server
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--no-scheduler"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start: " + path.with_suffix(".log").read_text()[-2000:])


class Client:
    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


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


def throughput(port: int, token: str, clients: int, seconds: float, leads: int) -> dict:
    stop = time.monotonic() + seconds
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        client, rnd, mine = Client(port, token), random.Random(k), []
        while time.monotonic() < stop:
            roll = rnd.random()
            if roll < 0.6:
                kind, path = "lead", f"/api/v1/leads/lead-syn-{rnd.randrange(leads):06d}"
            elif roll < 0.9:
                kind, path = "list", rnd.choice(LIST_QUERIES)
            else:
                kind, path = "me", "/api/v1/me"
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
            "mix": "60% lead by id, 30% filtered list page of 50, 10% /me"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lbug"
        t = time.perf_counter()
        token = build(path, args.leads)
        built = time.perf_counter() - t
        port = free_port()
        server = serve(path, port)
        try:
            latency(port, token, 20)  # warm-up
            out = {"bench": "api", "machine": f"{platform.node()} {os.cpu_count()} cpu, {platform.python_version()}",
                   "leads": args.leads, "build_s": round(built, 1), "server": "waitress, 8 threads",
                   "lead_list": latency(port, token),
                   "throughput": throughput(port, token, args.clients, args.seconds, args.leads)}
        finally:
            server.terminate()
            server.wait(10)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
