"""One firm's exit-risk score (the company page, GET /api/v1/risk/firms/{id}) against the whole watch list it
was once cut from, on the seeds.

    .venv/bin/python -m bench.exit_risk_bench [--repeat 5]

Loads the seeds into a temporary embedded store, then for every present foreign firm times `firm_risk`
and the whole `watch_list`, alternately so that load on the machine falls on both alike. Medians of
wall seconds over firms and repeats; one JSON object.
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

from crm.base.access import SYSTEM
from crm.library.seeding import load_seeds
from graph.engines.embedded import EmbeddedStore
from scoring.exit_watch import firm_risk, watch_list

TODAY = date(2026, 12, 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "bench.lbug", buffer_pool_mb=256)
        store.ensure_schema()
        load_seeds(store, now=datetime(2026, 12, 4, 2, tzinfo=timezone.utc))
        firms = [e.company_id for e in watch_list(store, actor=SYSTEM, today=TODAY)]
        one, whole = [], []
        for _ in range(args.repeat):
            for firm in firms:
                t = time.perf_counter()
                firm_risk(store, firm, actor=SYSTEM, today=TODAY)
                one.append(time.perf_counter() - t)
                t = time.perf_counter()
                watch_list(store, actor=SYSTEM, today=TODAY)
                whole.append(time.perf_counter() - t)
        store.close()
    print(json.dumps({"firms": len(firms), "repeat": args.repeat,
                      "firm_risk_s": round(statistics.median(one), 4),
                      "watch_list_s": round(statistics.median(whole), 4),
                      "machine": f"{platform.machine()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"}))


if __name__ == "__main__":
    main()
