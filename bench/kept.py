"""The bureau files the in-process benchmarks share: built once into `--keep DIR` and reused."""
from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path
from typing import Any, Iterator

from bench.api_bench import build


def parser(repeat: int) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, nargs="+", default=[20_000, 100_000])
    ap.add_argument("--repeat", type=int, default=repeat)
    ap.add_argument("--keep", type=Path, help="build the files here and reuse them on later runs")
    return ap


def header(args: argparse.Namespace) -> dict[str, Any]:
    return {"machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}",
            "load_average": os.getloadavg(), "repeat": args.repeat}


def bureaus(folder: Path, sizes: list[int]) -> Iterator[tuple[int, Path, str, float | None]]:
    """(leads, file, admin token, seconds the build took or None when the file was kept) per size."""
    folder.mkdir(parents=True, exist_ok=True)
    for leads in sizes:
        path, token_file = folder / f"bureau-{leads}.lbdb", folder / f"bureau-{leads}.token"
        built = None
        if not token_file.exists():
            began = time.perf_counter()
            token_file.write_text(build(path, leads))
            built = round(time.perf_counter() - began, 1)
        yield leads, path, token_file.read_text().strip(), built
