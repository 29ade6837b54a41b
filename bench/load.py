"""Load test: 50 clients mixing reads and writes against `chainlead serve` on 127.0.0.1, then every
acknowledged write read back.

    .venv/bin/python -m bench.load [--engine embedded|neo4j] [--clients 50] [--seconds 60]
                                   [--max-requests 200000] [--leads 20000] [--neo4j-port 7761] [--processes 1 | --web-processes 2]

The store holds bench/bureau.py's synthetic bureau (labelled synthetic). With `--engine neo4j`
a throwaway Neo4j is started on --neo4j-port (tools/neo4j/start.sh --fresh) and stopped at the
end. The run is bounded in time and in requests, talks to 127.0.0.1 only, and the server logs
to a file beside the data. Prints JSON: requests/s, 5xx and unexpected answers, p50/p95 per
operation, the load average of the machine while it ran, the server processes' CPU seconds per wall
second (2.0 = both cores), and the lost writes (there must be none). `--processes 2` runs two
`chainlead serve --reuse-port` on the one port (the kernel spreads the clients' connections); on the
embedded engine the others run with `--via-app`, on the first one's store. `--web-processes N` runs one
`chainlead serve --web-processes N` (embedded): the owner keeps the store and N web processes serve the
clients (docs/processes.md); its CPU figures count the owner and its web processes.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.bureau import Bureau, write_bureau
from bench.load_ops import MIX, Budget, Ledger, Worker, verify
from bench.server import NEO4J_TOOLS, cpu_seconds, family, free_port, percentile, serve, stop


def build(engine: str, folder: Path, args: argparse.Namespace) -> tuple[Bureau, dict[str, Any]]:
    """The bureau in the chosen store; returns it and how to reach the store (path or URI)."""
    if engine == "neo4j":
        with (folder / "neo4j-start.log").open("wb") as log:
            uri = subprocess.run([str(NEO4J_TOOLS / "start.sh"), str(args.neo4j_port), "--fresh"], check=True,
                                 stdout=subprocess.PIPE, stderr=log, timeout=600).stdout.decode().strip()
        from graph.config import StoreConfig
        from graph.engines.neo4j import Neo4jStore

        store: Any = Neo4jStore(StoreConfig(neo4j_uri=uri, neo4j_timeout=30))
        where: dict[str, Any] = {"neo4j_uri": uri}
    else:
        from graph.engines.embedded import EmbeddedStore

        store = EmbeddedStore(folder / "load.lbug", buffer_pool_mb=512)
        where = {"db_path": folder / "load.lbug"}
    try:
        return write_bureau(store, leads=args.leads, staff=args.clients), where
    finally:
        store.close()


def run(port: int, bureau: Bureau, ledger: Ledger, budget: Budget) -> tuple[float, list[float]]:
    """All clients at once until the budget is spent; returns the wall time and the load averages seen."""
    workers = [Worker(port, user_id, token, bureau, ledger, seed=k) for k, (user_id, token) in enumerate(bureau.staff)]
    threads = [threading.Thread(target=w.run, args=(budget,)) for w in workers]
    loads: list[float] = []
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        loads.append(os.getloadavg()[0])
        for thread in threads:
            thread.join(timeout=5 / len(threads))
    return time.monotonic() - started, loads


def figures(ledger: Ledger, wall: float) -> dict[str, Any]:
    by_op: dict[str, Any] = {}
    for op in [*MIX, "pool"]:
        times = [s for name, _, s in ledger.samples if name == op]
        if times:
            by_op[op] = {"requests": len(times), "p50_ms": round(statistics.median(times) * 1000, 1),
                         "p95_ms": round(percentile(times, 0.95) * 1000, 1),
                         "statuses": dict(sorted(Counter(str(st) for name, st, _ in ledger.samples if name == op).items()))}
    statuses = [status for _, status, _ in ledger.samples]
    return {"requests": len(statuses), "requests_per_s": round(len(statuses) / wall, 1),
            "errors_5xx": sum(1 for s in statuses if 500 <= s < 599), "no_answer": statuses.count(599),
            "p95_ms_all": round(percentile([s for _, _, s in ledger.samples], 0.95) * 1000, 1),
            "by_operation": by_op, "unexpected": ledger.unexpected[:10]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=["embedded", "neo4j"], default="embedded")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--leads", type=int, default=20_000)
    ap.add_argument("--threads", type=int, default=8, help="waitress threads of the server")
    ap.add_argument("--processes", type=int, default=1,
                    help="`chainlead serve --reuse-port` processes on the one port (embedded: the first owns the "
                         "file, the others run with --via-app)")
    ap.add_argument("--web-processes", type=int, default=0,
                    help="embedded: one `chainlead serve --web-processes N` instead (the owner and N web processes)")
    ap.add_argument("--neo4j-port", type=int, default=7761)
    ap.add_argument("--keep", help="keep the data and the server log in this folder")
    args = ap.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="chainlead-load-"))
    folder.mkdir(parents=True, exist_ok=True)
    servers: list[Any] = []
    try:
        started = time.perf_counter()
        bureau, where = build(args.engine, folder, args)
        built = time.perf_counter() - started
        port = free_port()
        for k in range(1 if args.web_processes else args.processes):
            servers.append(serve(port, folder / f"server-{k}.log", threads=args.threads, reuse_port=args.processes > 1,
                                 web_processes=args.web_processes,
                                 via_app=k > 0 and args.engine == "embedded", **where))
        ledger = Ledger()
        before = os.getloadavg()
        pids = [pid for s in servers for pid in family(s.pid)]
        cpu_before = [cpu_seconds([pid]) for pid in pids]
        client_before = time.process_time()
        wall, loads = run(port, bureau, ledger, Budget(args.seconds, args.max_requests))
        server_cpu = [cpu_seconds([pid]) - b for pid, b in zip(pids, cpu_before)]
        client_cpu = time.process_time() - client_before
        out = {"bench": "load", "engine": args.engine,
               "machine": f"{platform.node()} {os.cpu_count()} cpu, {platform.python_version()}",
               "load_average_before": [round(x, 1) for x in before],
               "load_average_during": {"min": round(min(loads), 1), "max": round(max(loads), 1),
                                       "mean": round(statistics.mean(loads), 1)},
               "leads": args.leads, "build_s": round(built, 1), "clients": args.clients,
               "server": (f"chainlead serve --web-processes {args.web_processes}" if args.web_processes else
                          f"{args.processes} × chainlead serve") + f", waitress {args.threads} threads",
               "seconds": round(wall, 1), "server_cpu_s_per_wall_s": round(sum(server_cpu) / wall, 2),
               "server_cpu_s_per_wall_s_each": [round(c / wall, 2) for c in server_cpu],
               "client_cpu_s_per_wall_s": round(client_cpu / wall, 2),
               "mix_weights": MIX, **figures(ledger, wall)}
        out["verify"] = verify(port, bureau.admin_token, ledger)
        out["server_log_errors"] = sum(1 for log in folder.glob("server-*.log")
                                       for line in log.read_text(errors="replace").splitlines() if " ERROR " in line)
        if args.keep or out["errors_5xx"] or out["verify"]["lost_writes"] or out["server_log_errors"]:
            out["kept"] = str(folder)  # the data and the server's log, to find the cause
        else:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        for server in servers:
            stop(server)
        if args.engine == "neo4j":
            subprocess.run([str(NEO4J_TOOLS / "stop.sh"), str(args.neo4j_port)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=120)
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
