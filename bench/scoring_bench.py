"""Scoring benchmark: full gap analysis and ranking of every candidate on the synthetic graph.

    .venv/bin/python -m bench.scoring_bench [--repeat 5] [--companies 50000] [--makes 300000]
    .venv/bin/python -m bench.scoring_bench --sizes 10000 50000 100000 [--repeat 5]   # MAKES = 6 per company

Loads bench/synthetic.py's graph into a temporary embedded store (not timed), then times
`analyse_gaps` + `rank_candidates` end to end and splits the time into store queries, projection
(networkx graph and candidate pool from the rows) and scoring (criticality, gaps, factors, order).
The timed runs happen in a fresh process that opens the stored file (as `chainlead` would), so its
peak RSS is what scoring costs (the interpreter, the store's open and the runs; not the generator
or the load): `peak_rss_mb`, beside `open_rss_mb` measured before the first run. Building every
candidate as an object is timed after the peak is read. Medians over the repeats; prints JSON.
The CPU seconds of the timed process (all its threads) are printed beside the wall time: on a
machine shared with other work they show what the run costs when it has the machine to itself
(Ladybug may use both cores, so they are an upper bound of that).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from typing import Any

from bench.synthetic import generate, load
from scoring.gaps import link_gaps
from scoring.policy import scoring_policy
from scoring.projection import project_candidates, project_chains
from scoring.ranking import rank

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
PARTS = ("store", "projection", "scoring")


class TimedStore:
    """Adds up the time spent inside the store's `read` (query, fetch and row conversion)."""

    def __init__(self, store: Any):
        self.store, self.seconds, self.cpu, self.queries = store, 0.0, 0.0, 0

    def read(self, query: str, params: Any = None) -> list[dict[str, Any]]:
        t, c = time.perf_counter(), time.process_time()
        try:
            return self.store.read(query, params)
        finally:
            self.seconds += time.perf_counter() - t
            self.cpu += time.process_time() - c
            self.queries += 1


def run_once(store: Any) -> dict[str, float]:
    policy = scoring_policy()
    timed = TimedStore(store)
    c0 = time.process_time()
    t0 = time.perf_counter()
    graph = project_chains(timed)
    t1, c1 = time.perf_counter(), time.process_time()
    gaps = link_gaps(graph, policy.gaps)
    t2, c2 = time.perf_counter(), time.process_time()
    pool = project_candidates(timed)
    t3, c3 = time.perf_counter(), time.process_time()
    ranking = rank(gaps, pool, policy, now=NOW)
    top = ranking[:100]
    t5, c5 = time.perf_counter(), time.process_time()
    assert len(top) == 100
    projection = (t1 - t0) + (t3 - t2) - timed.seconds
    projection_cpu = (c1 - c0) + (c3 - c2) - timed.cpu
    return {"total_s": t5 - t0, "store_s": timed.seconds, "projection_s": projection,
            "scoring_s": (t2 - t1) + (t5 - t3), "cpu_s": c5 - c0, "store_cpu_s": timed.cpu,
            "projection_cpu_s": projection_cpu, "scoring_cpu_s": (c2 - c1) + (c5 - c3),
            "store_queries": timed.queries, "links": graph.number_of_nodes(), "candidates": len(ranking)}


def _peak_rss_mb() -> float:
    """This process's peak resident memory since its exec (VmHWM; ru_maxrss would include the parent's
    memory at fork, as Linux carries it over the exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024


def materialise_all(store: Any) -> dict[str, float]:
    """Every candidate built as an object with its reason lines (what `list(ranking)` costs)."""
    policy = scoring_policy()
    ranking = rank(link_gaps(project_chains(store), policy.gaps), project_candidates(store), policy, now=NOW)
    t, c = time.perf_counter(), time.process_time()
    every = list(ranking)
    assert len(every) == len(ranking)
    return {"materialise_all_s": time.perf_counter() - t, "materialise_all_cpu_s": time.process_time() - c}


def child(path: str, repeat: int) -> None:
    """The timed runs, in this fresh process, on the store file at `path`."""
    from graph.engines.embedded import EmbeddedStore

    store = EmbeddedStore(path, buffer_pool_mb=1024)
    opened = _peak_rss_mb()
    runs = [run_once(store) for _ in range(repeat)]
    peak = _peak_rss_mb()
    every = materialise_all(store)
    store.close()
    print(json.dumps({"runs": runs, "open_rss_mb": opened, "peak_rss_mb": peak, **every}))


def measure(companies: int, makes: int, repeat: int) -> dict[str, Any]:
    """Load the synthetic graph into a temporary store, then time scoring in a child process."""
    from graph.engines.embedded import EmbeddedStore

    graph = generate(companies=companies, makes=makes)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.lbug")
        store = EmbeddedStore(path, buffer_pool_mb=1024)
        store.ensure_schema()
        load(store, graph)
        store.close()
        done = subprocess.run([sys.executable, "-m", "bench.scoring_bench", "--child", path, "--repeat", str(repeat)],
                              check=True, capture_output=True, text=True)
    found = json.loads(done.stdout)
    runs = found["runs"]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    total = med["total_s"]
    return {
        "graph": {"companies": len(graph.companies), "links": len(graph.links), "makes": len(graph.makes),
                  "feeds": len(graph.feeds)},
        "candidates": int(med["candidates"]), "store_queries": int(med["store_queries"]), "repeats": repeat,
        "gaps_and_ranking_s": round(total, 3),
        "gaps_and_ranking_best_s": round(min(r["total_s"] for r in runs), 3),
        "gaps_and_ranking_cpu_s": round(med["cpu_s"], 3),
        "share": {k: round(med[f"{k}_s"] / sum(med[f"{p}_s"] for p in PARTS), 3) for k in PARTS},
        "seconds": {k: round(med[f"{k}_s"], 3) for k in PARTS},
        "cpu_seconds": {k: round(med[f"{k}_cpu_s"], 3) for k in PARTS},
        "open_rss_mb": round(found["open_rss_mb"]), "peak_rss_mb": round(found["peak_rss_mb"]),
        "materialise_all_candidates_s": round(found["materialise_all_s"], 3),
        "materialise_all_candidates_cpu_s": round(found["materialise_all_cpu_s"], 3),
        "runs_total_s": [round(r["total_s"], 3) for r in runs],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--companies", type=int, default=50_000)
    ap.add_argument("--makes", type=int, default=300_000)
    ap.add_argument("--sizes", type=int, nargs="*", help="companies per run, each with six MAKES per company")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return
    sizes = [(n, 6 * n) for n in args.sizes] if args.sizes else [(args.companies, args.makes)]
    load_before = os.getloadavg()
    results = [measure(n, m, args.repeat) for n, m in sizes]
    out = {
        "bench": "scoring", "engine": "embedded",
        "machine": f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()], "nice": os.nice(0),
        "results": results,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
