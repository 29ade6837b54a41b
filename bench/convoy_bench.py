"""Why one process serves on about one core: Ladybug queries from threads of one process against threads
of two processes, and a query thread beside a busy Python thread.

    .venv/bin/python -m bench.convoy_bench [--rows 20000] [--seconds 4]

Each case runs a `count(*)` over synthetic rows (`Item` nodes numbered 0..n, labelled synthetic) on
connections with one execution thread, as ChainLead's store does, for --seconds. Prints JSON: queries
per second for one thread alone; two threads of one process; two processes; and one query thread
beside a thread spinning in pure Python (with the spinner's rate). Read with docs/processes.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import ladybug

QUERY = "MATCH (i:Item) WHERE i.v % 7 = $r RETURN count(*) AS n"


def build(path: Path, rows: int) -> None:
    db = ladybug.Database(str(path), buffer_pool_size=256 * 1024 * 1024)
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE Item(id INT64, v INT64, PRIMARY KEY(id))")
    for start in range(0, rows, 5000):
        conn.execute("UNWIND range($a, $b) AS i CREATE (:Item {id: i, v: i})",
                     {"a": start, "b": min(rows, start + 5000) - 1})
    conn.close()
    db.close()


def run(path: Path, seconds: float, query_threads: int, spin: bool) -> dict[str, float]:
    """Queries per second over `query_threads` threads of this process, with a spinning thread beside them or not."""
    db = ladybug.Database(str(path), buffer_pool_size=256 * 1024 * 1024, read_only=True)
    stop, done, spins = time.monotonic() + seconds, [0], [0]
    lock = threading.Lock()

    def query() -> None:
        conn = ladybug.Connection(db)
        conn.set_max_threads_for_exec(1)
        n = 0
        while time.monotonic() < stop:
            conn.execute(QUERY, {"r": n % 7}).get_all()
            n += 1
        with lock:
            done[0] += n

    def spinner() -> None:
        n = 0
        while time.monotonic() < stop:
            n += 1
        spins[0] = n

    threads = [threading.Thread(target=query) for _ in range(query_threads)]
    threads += [threading.Thread(target=spinner)] if spin else []
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out = {"queries_per_s": round(done[0] / seconds), "cpu_s_per_wall_s": round((time.process_time() - cpu) / seconds, 2)}
    if spin:
        out["spins_per_s"] = round(spins[0] / seconds)
    db.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--child", nargs=2, metavar=("FILE", "SECONDS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run(Path(args.child[0]), float(args.child[1]), 1, False)))
        return
    with tempfile.TemporaryDirectory(prefix="chainlead-convoy-") as tmp:
        path = Path(tmp) / "items.lbug"
        build(path, args.rows)
        alone = run(path, args.seconds, 1, False)
        two_threads = run(path, args.seconds, 2, False)
        children = [subprocess.Popen([sys.executable, "-m", "bench.convoy_bench", "--child", str(path), str(args.seconds)],
                                     stdout=subprocess.PIPE, text=True) for _ in range(2)]
        two_processes = [json.loads(child.communicate()[0]) for child in children]
        beside_spinner = run(path, args.seconds, 1, True)
    print(json.dumps({"bench": "convoy", "machine": f"{platform.node()} {os.cpu_count()} cpu, {platform.python_version()}",
                      "ladybug": getattr(ladybug, "__version__", "?"), "rows": args.rows, "query": QUERY,
                      "load_average": [round(x, 1) for x in os.getloadavg()],
                      "one_thread": alone, "two_threads_one_process": two_threads,
                      "two_processes": {"queries_per_s": sum(p["queries_per_s"] for p in two_processes), "each": two_processes},
                      "one_thread_beside_a_python_spinner": beside_spinner}, indent=1))


if __name__ == "__main__":
    main()
