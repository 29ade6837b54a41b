"""The gap analysis and ranking as of a past day against today's, on the synthetic graph with dates.

    .venv/bin/python -m bench.as_of_bench [--repeat 5] [--as-of 2024-03-10]

Loads bench/synthetic.py's graph with dated presences and MAKES (a fifth of the presences and a
tenth of the MAKES carry since, some until) into a temporary embedded store (not timed), then
times, alternating so that load on the machine falls on both alike: the gap analysis of every chain
today and as of the day (`analyse_gaps`, what `chainlead gaps [--as-of]` runs), and the gap analysis
plus the ranking of every candidate today and as of the day (`rank_candidates`, whose leads as of the
day come from their stage history). Medians over the repeats; prints one JSON object with the ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

from bench.synthetic import generate, load
from scoring.gaps import analyse_gaps
from scoring.ranking import rank_candidates

NOW = datetime(2026, 12, 1, 4, tzinfo=timezone.utc)


def timed(work: Callable[[], Any]) -> tuple[float, float, int]:
    t, c = time.perf_counter(), time.process_time()
    found = work()
    size = len(found[:100]) and len(found)
    return time.perf_counter() - t, time.process_time() - c, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--as-of", default="2024-03-10")
    ap.add_argument("--companies", type=int, default=50_000)
    ap.add_argument("--makes", type=int, default=300_000)
    args = ap.parse_args()
    day = date.fromisoformat(args.as_of)
    from graph.engines.embedded import EmbeddedStore

    graph = generate(companies=args.companies, makes=args.makes, dated=True)
    cases = {"gaps_today": lambda s: analyse_gaps(s, as_of=NOW.date()),
             "gaps_as_of": lambda s: analyse_gaps(s, as_of=day),
             "gaps_and_ranking_today": lambda s: rank_candidates(s, now=NOW),
             "gaps_and_ranking_as_of": lambda s: rank_candidates(s, now=NOW, as_of=day)}
    runs: dict[str, list[tuple[float, float, int]]] = {k: [] for k in cases}
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_mb=1024)
        store.ensure_schema()
        load(store, graph)
        for _ in range(args.repeat):
            for name, case in cases.items():
                runs[name].append(timed(lambda: case(store)))
        store.close()
    wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    out = {
        "bench": "as_of", "engine": "embedded", "as_of": day.isoformat(), "today": NOW.date().isoformat(),
        "machine": f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        "load_average_1m": round(os.getloadavg()[0], 2),
        "graph": {"companies": len(graph.companies), "links": len(graph.links), "makes": len(graph.makes),
                  "dated_makes": sum(1 for m in graph.makes if m["since"] or m["until"]),
                  "presences": len(graph.present_in),
                  "dated_presences": sum(1 for p in graph.present_in if p["since"] or p["until"])},
        "repeats": args.repeat,
        "wall_median_s": {k: round(v, 3) for k, v in wall.items()},
        "cpu_median_s": {k: round(statistics.median(r[1] for r in v), 3) for k, v in runs.items()},
        "items": {k: v[0][2] for k, v in runs.items()},
        "ratio_as_of_to_today": {"gaps": round(wall["gaps_as_of"] / wall["gaps_today"], 2),
                                 "gaps_and_ranking": round(wall["gaps_and_ranking_as_of"]
                                                           / wall["gaps_and_ranking_today"], 2)},
        "runs_s": {k: [round(r[0], 3) for r in v] for k, v in runs.items()},
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
