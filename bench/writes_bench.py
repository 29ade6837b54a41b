"""Writes and the lists right after them, in-process: what each write holds the write lock for, and
what a lead list costs when a write has just landed.

    .venv/bin/python -m bench.writes_bench [--leads 20000 100000] [--repeat 25] [--keep DIR]

The embedded engine takes one write transaction at a time, so under bench/load.py the time each
write holds the lock bounds the whole server. Here, on a copy of bench/bureau.py's labelled-synthetic
bureau (the kept file is not changed), each of the load test's writes (a new lead, an edit with
If-Match, a follow-up, a claim from the pool) is made `--repeat` times through the Flask test client
with an admin's token, one thread: reported per write are the median wall time of its outermost
transaction (the lock held; no other thread waits here) and its statements. Then each of three lead
lists is asked for right after an edit: the CPU of the list request alone. Prints JSON.

    .venv/bin/python -m bench.writes_bench --leads 20000 --neo4j-port 7762

measures the same writes (their requests' wall time too) on a fresh Neo4j from tools/neo4j/.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

from bench import kept
from bench.api_bench import NOW
from bench.bureau import write_bureau
from bench.server import NEO4J_TOOLS
from crm.pipeline.leads import copied
from graph.config import StoreConfig
from graph.engines.embedded import EmbeddedStore
from graph.engines.neo4j import Neo4jStore
from web.app import create_app

LISTS = {"list": "/api/v1/leads?stage=contacted&page_size=50&sort=-updated_at",
         "search": "/api/v1/leads?q=synthetic&page_size=20",
         "pool": "/api/v1/pool?page_size=20&page=2"}


def timed(engine: type) -> type:
    """The engine's store, timing each outermost write transaction and counting its statements."""

    class Timed(engine):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self.held: dict[str, list[tuple[float, int]]] = defaultdict(list)
            self.depth = threading.local()

        def transaction(self, work: Callable[[Any], Any]) -> Any:
            if getattr(self.depth, "open", False):
                return super().transaction(work)
            statements = [0]

            def counted(tx: Any) -> Any:
                run = tx.run
                statements[0] = 0  # Neo4j may run the work again after a transient failure

                def counting(query: str, params: Any = None, touches: Any = None) -> Any:
                    statements[0] += 1
                    return run(query, params) if touches is None else run(query, params, touches)
                tx.run = counting
                return work(tx)
            began, self.depth.open = time.perf_counter(), True
            try:
                return super().transaction(counted)
            finally:
                self.depth.open = False
                name = getattr(work, "__qualname__", "?").split(".<locals>")[0]
                self.held[name].append((time.perf_counter() - began, statements[0] + 2))  # with BEGIN and COMMIT

    return Timed


def measure(store: Any, token: str, leads: int, repeat: int, *, lists: bool = True) -> dict[str, Any]:
    try:
        app = create_app({"TESTING": True, "STORE": store, "SECRET_KEY": "bench-secret", "CLOCK": lambda: NOW})
        client, headers, rnd = app.test_client(), {"Authorization": f"Bearer {token}"}, random.Random(7)
        me = client.get("/api/v1/me", headers=headers).get_json()["id"]
        companies = [r["id"] for r in store.read("MATCH (c:Company) RETURN c.id AS id ORDER BY c.id LIMIT 50")]
        links = [r["id"] for r in store.read("MATCH (n:ChainNode) RETURN n.id AS id ORDER BY n.id LIMIT 50")]
        districts = [r["id"] for r in store.read("MATCH (d:District) WHERE d.valid_to IS NULL "
                                                 "RETURN d.id AS id ORDER BY d.id LIMIT 10")]

        def lead_id() -> str:
            return f"lead-syn-{rnd.randrange(leads):06d}"

        def create() -> Any:
            return client.post("/api/v1/leads", headers=headers, json={
                "company_id": rnd.choice(companies), "link_id": rnd.choice(links), "priority": "B",
                "district_id": rnd.choice(districts), "title": "bench write", "owner_id": me})

        def edit() -> Any:
            ident = lead_id()
            got = client.get(f"/api/v1/leads/{ident}", headers=headers)
            return client.patch(f"/api/v1/leads/{ident}", json={"title": f"edit {rnd.random():.6f}"},
                                headers={**headers, "If-Match": got.headers["ETag"]})

        def followup() -> Any:
            return client.post("/api/v1/followups", headers=headers, json={
                "lead_id": lead_id(), "kind": "call", "due_on": "2026-11-24", "title": "bench follow-up"})

        def claim() -> Any:
            items = client.get(f"/api/v1/pool?page_size=20&page={1 + rnd.randrange(5)}", headers=headers).get_json()
            lead = rnd.choice(items)
            return client.post(f"/api/v1/pool/{lead['id']}/claim", headers={**headers, "If-Match": f'"v{lead["version"]}"'})

        out: dict[str, Any] = {"writes": {}}
        if lists:
            copied(store, wait=True)  # read before the writes, so no first read of it runs beside them
        for name, write in (("create_lead", create), ("edit_lead", edit), ("followup", followup), ("claim", claim)):
            store.held.clear()
            requests = []
            for _ in range(repeat):
                began = time.perf_counter()
                assert write().status_code in (200, 201), name
                requests.append(time.perf_counter() - began)
            out["writes"][name] = {tx: {"transactions": len(v), "held_p50_ms": round(statistics.median(s for s, _ in v) * 1000, 2),
                                        "statements_p50": statistics.median(n for _, n in v)} for tx, v in store.held.items()}
            out["writes"][name]["request_p50_ms"] = round(statistics.median(requests) * 1000, 2)
        if not lists:
            return out
        out["list_right_after_an_edit"] = {}
        copied(store, wait=True)  # (where writes do not name their rows, each sends the lists to the engine)
        for name, url in LISTS.items():
            cpu = []
            for _ in range(repeat):
                edit()
                began = time.process_time()
                assert client.get(url, headers=headers).status_code == 200
                cpu.append(time.process_time() - began)
            out["list_right_after_an_edit"][name] = {"cpu_p50_ms": round(statistics.median(cpu) * 1000, 2)}
        out["lists_followed_the_writes"] = copied(store) is not None
        return out
    finally:
        store.close()


def on_neo4j(port: int, leads: int, repeat: int) -> dict[str, Any]:
    """The same writes on a fresh Neo4j from tools/neo4j/ (a round trip per statement)."""
    uri = subprocess.run([str(NEO4J_TOOLS / "start.sh"), str(port), "--fresh"], check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, timeout=600).stdout.decode().strip()
    try:
        store = timed(Neo4jStore)(StoreConfig(neo4j_uri=uri, neo4j_timeout=30))
        bureau = write_bureau(store, leads=leads, staff=2)
        return measure(store, bureau.admin_token, leads, repeat, lists=False)
    finally:
        subprocess.run([str(NEO4J_TOOLS / "stop.sh"), str(port)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)


def main() -> None:
    ap = kept.parser(repeat=25)
    ap.add_argument("--neo4j-port", type=int, help="measure the writes on a fresh Neo4j on this port instead "
                                                   "(the first --leads size, built there)")
    args = ap.parse_args()
    results = kept.header(args)
    if args.neo4j_port:
        results[f"neo4j-{args.leads[0]}"] = on_neo4j(args.neo4j_port, args.leads[0], args.repeat)
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return
    with tempfile.TemporaryDirectory() as tmp:
        for leads, path, token, _ in kept.bureaus(args.keep or Path(tmp), args.leads):
            work = Path(tmp) / f"writes-{leads}.lbdb"
            shutil.copy(path, work)  # the writes go to a copy: the kept file stays as built
            if path.with_name(path.name + ".wal").exists():
                shutil.copy(path.with_name(path.name + ".wal"), work.with_name(work.name + ".wal"))
            results[str(leads)] = measure(timed(EmbeddedStore)(work, buffer_pool_mb=512), token, leads, args.repeat)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
