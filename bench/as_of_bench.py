"""The gap analysis, the ranking and the resilience index as of a past day against today's, on the synthetic
graph (issue 14).

    .venv/bin/python -m bench.as_of_bench [--repeat 5] [--companies 50000] [--makes 300000]

Loads bench/synthetic.py's graph (labelled synthetic) into a temporary embedded store, ends one
presence in ten so the history has WAS_PRESENT_IN rows to read, then times, alternately so that
load on the machine falls on both alike: `analyse_gaps` today and as of 2024-03-10 (what `chainlead
gaps [--as-of]` runs), and `rank_candidates` today and as of that day (the gap analysis plus every
candidate scored and ordered, its leads read from their stage history as of the day; `chainlead
rank [--as-of]`), and the resilience index of every chain and the city today and as of that day (`chainlead
resilience [--as-of]`). Medians of wall and CPU seconds over the repeats; one JSON object with the ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import date, datetime, timezone
from typing import Any, Callable

from bench.synthetic import loaded_store
from scoring.gaps import analyse_gaps
from scoring.ranking import rank_candidates
from scoring.resilience import resilience

AS_OF = date(2024, 3, 10)
NOW = datetime(2026, 12, 1, 4, tzinfo=timezone.utc)


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    t, c = time.perf_counter(), time.process_time()
    found = work()
    assert len(found[:100]) == min(100, len(found))  # a ranking builds its top 100, as the CLI's --top does
    return time.perf_counter() - t, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--companies", type=int, default=50_000)
    ap.add_argument("--makes", type=int, default=300_000)
    args = ap.parse_args()
    cases: dict[str, Callable[[Any], Any]] = {
        "gaps_today": lambda s: analyse_gaps(s, as_of=NOW.date()),
        "gaps_as_of": lambda s: analyse_gaps(s, as_of=AS_OF),
        "gaps_and_ranking_today": lambda s: rank_candidates(s, now=NOW),
        "gaps_and_ranking_as_of": lambda s: rank_candidates(s, now=NOW, as_of=AS_OF),
        "resilience_today": lambda s: list(resilience(s, as_of=NOW.date()).values()),
        "resilience_as_of": lambda s: list(resilience(s, as_of=AS_OF).values())}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    with loaded_store(companies=args.companies, makes=args.makes) as (store, graph):
        present = store.read("MATCH (c:Company)-[:PRESENT_IN]->(d:District) RETURN c.id AS c, d.id AS d ORDER BY c.id, d.id")
        ended = present[::10]
        for row in ended:
            store.write("MATCH (c:Company {id: $c})-[r:PRESENT_IN]->(d:District {id: $d}) DELETE r "
                        "CREATE (c)-[w:WAS_PRESENT_IN]->(d) SET w.until = $until, w.end_reason = 'exit'",
                        {**row, "until": date(2025, 1, 1)})
        for _ in range(args.repeat):
            for name, case in cases.items():
                runs[name].append(timed(lambda: case(store)))
    wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
    out = {"bench": "as_of", "engine": "embedded", "as_of": AS_OF.isoformat(), "today": NOW.date().isoformat(),
           "machine": f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}",
           "load_average_1m": round(os.getloadavg()[0], 2),
           "graph": {"companies": len(graph.companies), "links": len(graph.links), "makes": len(graph.makes),
                     "presences_ended": len(ended)},
           "repeats": args.repeat,
           "wall_median_s": {k: round(v, 3) for k, v in wall.items()},
           "cpu_median_s": {k: round(v, 3) for k, v in cpu.items()},
           "ratio_as_of_to_today": {
               "gaps": round(wall["gaps_as_of"] / wall["gaps_today"], 2),
               "gaps_and_ranking": round(wall["gaps_and_ranking_as_of"] / wall["gaps_and_ranking_today"], 2),
               "gaps_cpu": round(cpu["gaps_as_of"] / cpu["gaps_today"], 2),
               "gaps_and_ranking_cpu": round(cpu["gaps_and_ranking_as_of"] / cpu["gaps_and_ranking_today"], 2)},
           "ratio_resilience_to_gaps_today": {
               "today": round(wall["resilience_today"] / wall["gaps_today"], 2),
               "as_of": round(wall["resilience_as_of"] / wall["gaps_today"], 2)},
           "runs_wall_s": {k: [round(r[0], 3) for r in v] for k, v in runs.items()}}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
