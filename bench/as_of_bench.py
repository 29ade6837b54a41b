"""The gap analysis as of a past day against today's, on the synthetic graph (issue 14).

    .venv/bin/python -m bench.as_of_bench [--repeat 5] [--companies 50000] [--makes 300000]

Loads bench/synthetic.py's graph (labelled synthetic) into a temporary embedded store, ends one
presence in ten so the history has WAS_PRESENT_IN rows to read, then times `analyse_gaps` today
and `analyse_gaps(as_of=…)` alternately; medians over the repeats, one JSON object with the ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import date

from bench.synthetic import loaded_store
from scoring.gaps import analyse_gaps

AS_OF = date(2024, 3, 10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--companies", type=int, default=50_000)
    ap.add_argument("--makes", type=int, default=300_000)
    args = ap.parse_args()
    with loaded_store(companies=args.companies, makes=args.makes) as (store, graph):
        present = store.read("MATCH (c:Company)-[:PRESENT_IN]->(d:District) RETURN c.id AS c, d.id AS d ORDER BY c.id, d.id")
        ended = present[::10]
        for row in ended:
            store.write("MATCH (c:Company {id: $c})-[r:PRESENT_IN]->(d:District {id: $d}) DELETE r "
                        "CREATE (c)-[w:WAS_PRESENT_IN]->(d) SET w.until = $until, w.end_reason = 'exit'",
                        {**row, "until": date(2025, 1, 1)})
        today, past = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            analyse_gaps(store)
            today.append(time.perf_counter() - t)
            t = time.perf_counter()
            analyse_gaps(store, as_of=AS_OF)
            past.append(time.perf_counter() - t)
    out = {"bench": "gaps_as_of", "engine": "embedded",
           "machine": f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}",
           "load_average_1m": round(os.getloadavg()[0], 2),
           "graph": {"companies": len(graph.companies), "links": len(graph.links), "makes": len(graph.makes),
                     "presences_ended": len(ended)},
           "repeats": args.repeat, "gaps_today_s": round(statistics.median(today), 3),
           "gaps_as_of_s": round(statistics.median(past), 3),
           "ratio": round(statistics.median(past) / statistics.median(today), 2)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
