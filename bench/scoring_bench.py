"""Scoring benchmark: full gap analysis and ranking of every candidate on the synthetic graph.

    .venv/bin/python -m bench.scoring_bench [--repeat 5] [--companies 50000] [--makes 300000]

Loads bench/synthetic.py's graph into a temporary embedded store (not timed), then times
`analyse_gaps` + `rank_candidates` end to end and splits the time into store queries, projection
(networkx graph and candidate pool from the rows) and scoring (criticality, gaps, factors, order).
Medians over the repeats; prints one JSON object. The CPU seconds of this process (all its
threads) are printed beside the wall time: on a machine shared with other work they show what
the run costs when it has the machine to itself (Ladybug may use both cores, so they are an
upper bound of that).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import datetime, timezone
from typing import Any

from bench.synthetic import loaded_store
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
    every = list(ranking)
    t6, c6 = time.perf_counter(), time.process_time()
    assert len(top) == 100 and len(every) == len(ranking)
    projection = (t1 - t0) + (t3 - t2) - timed.seconds
    projection_cpu = (c1 - c0) + (c3 - c2) - timed.cpu
    return {"total_s": t5 - t0, "store_s": timed.seconds, "projection_s": projection,
            "scoring_s": (t2 - t1) + (t5 - t3), "cpu_s": c5 - c0, "store_cpu_s": timed.cpu,
            "projection_cpu_s": projection_cpu, "scoring_cpu_s": (c2 - c1) + (c5 - c3),
            "store_queries": timed.queries, "materialise_all_s": t6 - t5, "materialise_all_cpu_s": c6 - c5, "links": graph.number_of_nodes(),
            "candidates": len(ranking)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--companies", type=int, default=50_000)
    ap.add_argument("--makes", type=int, default=300_000)
    args = ap.parse_args()
    with loaded_store(companies=args.companies, makes=args.makes) as (store, graph):
        runs = [run_once(store) for _ in range(args.repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    total = med["total_s"]
    out = {
        "bench": "scoring", "engine": "embedded",
        "machine": f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        "load_average_1m": round(os.getloadavg()[0], 2), "nice": os.nice(0),
        "graph": {"companies": len(graph.companies), "links": len(graph.links), "makes": len(graph.makes),
                  "feeds": len(graph.feeds)},
        "candidates": int(med["candidates"]), "store_queries": int(med["store_queries"]), "repeats": args.repeat,
        "gaps_and_ranking_s": round(total, 3),
        "gaps_and_ranking_best_s": round(min(r["total_s"] for r in runs), 3),
        "gaps_and_ranking_cpu_s": round(med["cpu_s"], 3),
        "share": {k: round(med[f"{k}_s"] / sum(med[f"{p}_s"] for p in PARTS), 3) for k in PARTS},
        "seconds": {k: round(med[f"{k}_s"], 3) for k in PARTS},
        "cpu_seconds": {k: round(med[f"{k}_cpu_s"], 3) for k in PARTS},
        "materialise_all_candidates_s": round(med["materialise_all_s"], 3),
        "materialise_all_candidates_cpu_s": round(med["materialise_all_cpu_s"], 3),
        "runs_total_s": [round(r["total_s"], 3) for r in runs],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
