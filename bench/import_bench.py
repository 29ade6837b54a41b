"""Import benchmark: 50,000 companies from XLSX into a fresh, seeded embedded store.

    .venv/bin/python -m bench.import_bench [--rows 50000] [--keep FILE.xlsx]

The companies are generated deterministically and labelled synthetic (`synthetic` = true,
names "合成企业000001" / "Synthetic Company 000001"); they make real seed links and sit in real
district codes. Prints one JSON object: rows, seconds, rows_per_s and the phases
read/validate/match/write, with the process's CPU seconds and the load average beside the
wall-clock figure (on a shared machine other work stretches the wall clock, not the CPU time).
The progress bar shows on stderr when it is a terminal. Before the import, the same workbook's dry run as
the browser upload shows it (`preview_s`: read, validate, match and the row-by-row outcomes) is timed too.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from crm.library.seeding import SEEDS_DIR

COUNTRIES = ["CN", "US", "JP", "DE", "KR", "TW", "FR", "CH", "GB", "NL", "SG", "IT"]
INDUSTRIES = ["Motor vehicle parts", "Semiconductors", "Chemicals", "Machinery", "Food processing",
              "Software", "Medical devices", "Batteries"]
COLUMNS = ["company_id", "name_zh", "name_en", "aliases", "country", "fg500_rank", "fg500_year", "industry",
           "multinational", "leading", "revenue_usd_m", "employees", "makes", "present_in", "supplies", "parent",
           "source", "synthetic"]


def seed_ids() -> tuple[list[str], list[str]]:
    with (SEEDS_DIR / "chains.csv").open(encoding="utf-8", newline="") as fh:
        links = [row["link_id"] for row in csv.DictReader(fh)]
    codes = [c for c in ("500101", "500102", "500103", "500104", "500106", "500107", "500108", "500109",
                         "500110", "500111", "500113", "500115", "500116", "500117", "500118", "500120",
                         "500105", "500112", "500157")]
    return links, codes


def generate(path: Path, rows: int, seed: int = 3) -> None:
    """A write-only workbook (constant memory); the same arguments give the same rows."""
    import openpyxl

    rnd = random.Random(seed)
    links, codes = seed_ids()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("companies")
    sheet.append(COLUMNS)
    for i in range(1, rows + 1):
        local = rnd.random() < 0.05
        sheet.append([
            f"syn-{i:06d}", f"合成企业{i:06d}", f"Synthetic Company {i:06d}", f"SYN{i:06d}",
            rnd.choice(COUNTRIES), None, None, rnd.choice(INDUSTRIES), rnd.random() < 0.6, rnd.random() < 0.1,
            round(rnd.uniform(5, 50_000), 1), rnd.randint(10, 200_000),
            ";".join(rnd.sample(links, rnd.randint(1, 5))),
            ";".join(rnd.sample(codes, rnd.randint(1, 2))) if local else None,
            f"syn-{(i + rnd.randint(1, rows - 1) - 1) % rows + 1:06d}" if rnd.random() < 0.1 else None,  # never itself
            None, "synthetic benchmark data, not a real firm", True,
        ])
    book.save(path)


def main() -> None:
    from crm.cli.imports import BarProgress
    from crm.library.imports.preview import preview_companies
    from crm.library.imports.run import import_companies
    from crm.library.imports.table import read_path
    from crm.library.seeding import load_seeds
    from graph.engines.embedded import EmbeddedStore
    from graph.meta import initialise

    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--keep", type=Path, help="also keep the generated workbook here")
    args = ap.parse_args()
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        book = args.keep or Path(tmp) / "companies.xlsx"
        started = time.perf_counter()
        generate(book, args.rows)
        generated = time.perf_counter() - started
        store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_mb=1024)
        try:
            initialise(store, now=now)
            load_seeds(store, now=now)
            started = time.perf_counter()
            preview = preview_companies(store, read_path(book), now=now)
            preview_s = time.perf_counter() - started
            progress = BarProgress(book.name)
            started, cpu = time.perf_counter(), time.process_time()
            report = import_companies(store, book, now=now, progress=progress)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            progress.close()
        finally:
            store.close()
    print(json.dumps({
        "bench": "import", "engine": "embedded", "rows": report.rows, "seconds": round(seconds, 2),
        "rows_per_s": round(report.rows / seconds), "phases": report.seconds,
        "cpu_seconds": round(cpu, 2), "preview_s": round(preview_s, 2), "preview_counts": preview.counts, "load_average": [round(x, 2) for x in os.getloadavg()],
        "nodes": report.nodes, "relationships": report.relationships,
        "xlsx_bytes": os.path.getsize(book) if args.keep else None, "generate_s": round(generated, 2),
        "machine": f"{os.cpu_count()} cpu, Python {platform.python_version()}",
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
