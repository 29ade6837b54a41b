"""Both cores: the mixed API load from wrk against one `chainlead serve`, then against two on one port.

    .venv/bin/python -m bench.cores_bench [--leads 20000] [--clients 20] [--seconds 20] [--layouts 1 w2 2 1+2]
                                          [--engine embedded|neo4j] [--neo4j-port 7761]

The embedded store holds bench/bureau.py's labelled-synthetic bureau. With several processes the
first owns the file (`serve --reuse-port`) and the others serve on its store (`serve --reuse-port
--via-app`, graph/engines/shared.py); the kernel spreads wrk's connections over those on its port.
With `--engine neo4j` a throwaway Neo4j is started on --neo4j-port (tools/neo4j/start.sh --fresh),
every process opens it itself (`serve --reuse-port`), and it is stopped at the end. wrk (a C
client, `apt-get install wrk`) leaves the cores to the servers. Mix: 60 % lead by id, 30 % a
filtered list page of 50, 10 % /api/v1/me. Prints JSON: requests/s, latency, non-2xx, and each
server process's CPU seconds per wall second (2.0 = both cores), with the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.api_bench import LIST_QUERIES, build
from bench.server import NEO4J_TOOLS, cpu_seconds, family, free_port, serve, stop

WRK_MIX = """math.randomseed(11)
local lists = {%s}
request = function()
  local roll = math.random()
  if roll < 0.6 then
    return wrk.format("GET", string.format("/api/v1/leads/lead-syn-%%06d", math.random(0, %d)))
  elseif roll < 0.9 then
    return wrk.format("GET", lists[math.random(1, #lists)])
  end
  return wrk.format("GET", "/api/v1/me")
end
"""


def wrk(port: int, token: str, clients: int, seconds: float, script: Path) -> dict[str, Any]:
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "-s", str(script),
                          "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True, timeout=seconds + 120).stdout
    found = {k: re.search(pattern, out) for k, pattern in (
        ("requests_per_s", r"Requests/sec:\s+([\d.]+)"), ("p50", r"50%\s+([\d.]+\w+)"), ("p90", r"90%\s+([\d.]+\w+)"),
        ("p99", r"99%\s+([\d.]+\w+)"), ("non_2xx", r"Non-2xx or 3xx responses:\s+(\d+)"))}
    return {"requests_per_s": float(found["requests_per_s"].group(1)) if found["requests_per_s"] else None,
            **{k: found[k].group(1) if found[k] else None for k in ("p50", "p90", "p99")},  # type: ignore[union-attr]
            "non_2xx": int(found["non_2xx"].group(1)) if found["non_2xx"] else 0}


def measure(path: Path, token: str, layout: str, args: argparse.Namespace, script: Path,
            where: dict[str, Any]) -> dict[str, Any]:
    """layout "N": N processes on wrk's port, the first owning the file; "1+N": the owner on a port of its own
    (its one core for the store's work) and N --via-app processes on wrk's port; "wN": one `chainlead serve
    --web-processes N` (the owner and the N web processes it starts)."""
    port = free_port()
    apart, started_by_owner = layout.startswith("1+"), layout.startswith("w")
    processes = 1 + int(layout[2:]) if apart else 1 + int(layout[1:]) if started_by_owner else int(layout)
    servers = []
    try:
        if started_by_owner:
            servers.append(serve(port, path.with_name(f"server-{layout}.log"), web_processes=processes - 1, **where))
        else:
            for k in range(processes):
                servers.append(serve(free_port() if apart and k == 0 else port, path.with_name(f"server-{layout}-{k}.log"),
                                     reuse_port=processes > 1, via_app=k > 0 and "db_path" in where, **where))
        wrk(port, token, args.clients, 3, script)  # warm every process's connections and caches
        pids = [pid for s in servers for pid in family(s.pid)]
        before, load_before = [cpu_seconds([pid]) for pid in pids], os.getloadavg()
        started = time.monotonic()
        figures = wrk(port, token, args.clients, args.seconds, script)
        wall = time.monotonic() - started
        each = [round((cpu_seconds([pid]) - b) / wall, 2) for pid, b in zip(pids, before)]
    finally:
        for server in servers:
            stop(server)
    return {"layout": layout, "processes": processes, **figures, "server_cpu_s_per_wall_s": round(sum(each), 2),
            "server_cpu_s_per_wall_s_each": each, "load_average_before": [round(x, 1) for x in load_before],
            "load_average_after": [round(x, 1) for x in os.getloadavg()]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--engine", choices=["embedded", "neo4j"], default="embedded")
    ap.add_argument("--neo4j-port", type=int, default=7761)
    ap.add_argument("--layouts", nargs="+", default=["1", "w2", "2", "1+2"],
                    help='"N": N processes on the port; "1+N": the owner apart, N web processes on the port; '
                         '"wN": `chainlead serve --web-processes N`')
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="chainlead-cores-") as tmp:
        path = Path(tmp) / "cores.lbug"
        try:
            if args.engine == "neo4j":
                from bench.load import build as build_neo4j

                bureau, where = build_neo4j("neo4j", Path(tmp), args)
                token = bureau.admin_token
            else:
                token, where = build(path, args.leads), {"db_path": path}
            script = Path(tmp) / "mix.lua"
            script.write_text(WRK_MIX % (", ".join(f'"{q}"' for q in LIST_QUERIES), args.leads - 1))
            runs = [measure(path, token, layout, args, script, where) for layout in args.layouts]
        finally:
            if args.engine == "neo4j":
                subprocess.run([str(NEO4J_TOOLS / "stop.sh"), str(args.neo4j_port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=120)
    print(json.dumps({"bench": "cores", "machine": f"{platform.node()} {os.cpu_count()} cpu, "
                      f"{platform.python_version()}", "engine": args.engine, "leads": args.leads,
                      "clients": args.clients, "seconds": args.seconds, "server": "waitress, 8 threads each",
                      "mix": "60% lead by id, 30% filtered list page of 50, 10% /me (wrk)", "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
