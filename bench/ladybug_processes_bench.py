"""What Ladybug allows between processes: read-only opens beside a writer, what they see, what a reopen costs.

    .venv/bin/python -m bench.ladybug_processes_bench [--rows 20000] [--reopens 21] [--db FILE]

A writer process holds the file read-write (as `chainlead serve` does) and commits on request;
this process opens the same file read-only and checks: does the open succeed, does an open
reader see a later commit, does a reopen see it, does it see a transaction still open in the
writer, do its answers stay right while the writer checkpoints under it, and what a reopen
and its first query cost (median). With `--db` the reopen is also timed on an existing file
(e.g. the load test's 20,000-lead bureau, kept with `bench.load --keep`). Prints JSON.
The rows are synthetic (`Item` nodes numbered 0..n).
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
from pathlib import Path
from typing import Any

import ladybug

POOL = 256 * 1024 * 1024

WRITER = r"""
import sys, ladybug
db = ladybug.Database(sys.argv[1], buffer_pool_size=256 * 1024 * 1024)
conn = ladybug.Connection(db)
conn.execute("CREATE NODE TABLE IF NOT EXISTS Item(id INT64, v INT64, PRIMARY KEY(id))")
n = int(sys.argv[2])
for start in range(0, n, 5000):
    conn.execute("UNWIND range($a, $b) AS i CREATE (:Item {id: i, v: i})", {"a": start, "b": min(n, start + 5000) - 1})
total = n
print("ready", total, flush=True)
for line in sys.stdin:
    cmd, *arg = line.split()
    if cmd == "commit":
        k = int(arg[0])
        conn.execute("UNWIND range($a, $b) AS i CREATE (:Item {id: i, v: i})", {"a": total, "b": total + k - 1})
        total += k
    elif cmd == "begin":
        conn.execute("BEGIN TRANSACTION")
        conn.execute("CREATE (:Item {id: $i, v: $i})", {"i": total})
    elif cmd == "end":
        conn.execute("COMMIT")
        total += 1
    elif cmd == "checkpoint":
        conn.execute("CHECKPOINT")
    elif cmd == "quit":
        break
    print("done", total, flush=True)
"""


class Writer:
    def __init__(self, path: Path, rows: int):
        self.proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(rows)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.total = int(self._answer("ready"))

    def _answer(self, word: str) -> str:
        line = self.proc.stdout.readline().split()  # type: ignore[union-attr]
        assert line and line[0] == word, line
        return line[1]

    def send(self, command: str) -> int:
        self.proc.stdin.write(command + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        self.total = int(self._answer("done"))
        return self.total

    def quit(self) -> None:
        self.proc.stdin.write("quit\n")  # type: ignore[union-attr]
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(30)


def _all(conn: ladybug.Connection, query: str) -> list[Any]:
    result = conn.execute(query)
    assert not isinstance(result, list), "one statement"
    return result.get_all()


def count(db: ladybug.Database) -> tuple[int, int]:
    conn = ladybug.Connection(db)
    try:
        row = _all(conn, "MATCH (i:Item) RETURN count(i) AS n, sum(i.v) AS s")[0]
        return int(row[0]), int(row[1] or 0)
    finally:
        conn.close()


def expected(n: int) -> tuple[int, int]:
    return n, n * (n - 1) // 2


def reopen_cost(path: Path, query: str, repeat: int, then: str | None = None) -> dict[str, Any]:
    """Median cost of a read-only open, its first query, and (`then`) a second, heavier query on it cold and warm."""
    opens: list[float] = []
    firsts: list[float] = []
    colds: list[float] = []
    warms: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        db = ladybug.Database(str(path), buffer_pool_size=POOL, read_only=True)
        opened = time.perf_counter()
        conn = ladybug.Connection(db)
        _all(conn, query)
        firsts.append(time.perf_counter() - opened)
        opens.append(opened - started)
        for times in ((colds, warms) if then else ()):
            began = time.perf_counter()
            _all(conn, str(then))
            times.append(time.perf_counter() - began)
        conn.close()
        db.close()
    out: dict[str, Any] = {"open_ms_median": round(statistics.median(opens) * 1000, 2),
           "first_query_ms_median": round(statistics.median(firsts) * 1000, 2),
           "open_plus_first_query_ms_max": round(max(a + b for a, b in zip(opens, firsts)) * 1000, 2)}
    if then:
        out.update({"then": then, "then_cold_ms_median": round(statistics.median(colds) * 1000, 2),
                    "then_warm_ms_median": round(statistics.median(warms) * 1000, 2)})
    return out


def gil_probe(folder: Path, items: int = 12_000) -> dict[str, Any]:
    """Does a Python thread run while another waits in a long Ladybug query? (It cannot if execute holds the GIL.)"""
    import threading

    db = ladybug.Database(str(folder / "gil.lbug"), buffer_pool_size=POOL, max_num_threads=1)
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE G(id INT64, v INT64, PRIMARY KEY(id))")
    conn.execute("UNWIND range(0, $n) AS i CREATE (:G {id: i, v: i})", {"n": items - 1})
    query = f"MATCH (a:G), (b:G) WHERE a.v + b.v = {items - 1} RETURN count(*) AS n"
    spins, stop = [0], [False]

    def spin() -> None:
        while not stop[0]:
            spins[0] += 1

    def spinning(seconds: float | None) -> tuple[float, int]:
        spins[0], stop[0] = 0, False
        thread = threading.Thread(target=spin)
        started = time.perf_counter()
        thread.start()
        if seconds is None:
            _all(conn, query)
        else:
            time.sleep(seconds)
        stop[0] = True
        thread.join()
        return time.perf_counter() - started, spins[0]

    started = time.perf_counter()
    _all(conn, query)
    alone = time.perf_counter() - started
    idle_s, idle_spins = spinning(0.5)
    during_s, during_spins = spinning(None)
    db.close()
    return {"query": query, "query_alone_s": round(alone, 3), "query_beside_a_spinning_thread_s": round(during_s, 3),
            "spins_per_s_alone": int(idle_spins / idle_s), "spins_per_s_during_the_query": int(during_spins / during_s)}


def threads_probe(path: Path, queries: int) -> dict[str, Any]:
    """The same reads by one thread and by two threads on one Database: does a second thread add a core?"""
    import threading

    db = ladybug.Database(str(path), buffer_pool_size=POOL, read_only=True, max_num_threads=1)
    query = "MATCH (i:Item) WHERE i.v % 7 = 3 RETURN count(*) AS n"

    def work(n: int) -> None:
        conn = ladybug.Connection(db)
        for _ in range(n):
            _all(conn, query)
        conn.close()

    work(20)  # warm
    out: dict[str, Any] = {"query": query, "queries": queries}
    for threads in (1, 2):
        started, cpu = time.perf_counter(), time.process_time()
        workers = [threading.Thread(target=work, args=(queries // threads,)) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wall = time.perf_counter() - started
        out[f"{threads}_thread"] = {"wall_s": round(wall, 3),
                                    "cpu_s_per_wall_s": round((time.process_time() - cpu) / wall, 2)}
    db.close()
    return out


def probe(folder: Path, rows: int, repeat: int) -> dict[str, Any]:
    path = folder / "probe.lbug"
    writer = Writer(path, rows)
    out: dict[str, Any] = {"rows": rows}
    try:
        try:
            reader = ladybug.Database(str(path), buffer_pool_size=POOL, read_only=True)
        except RuntimeError as exc:
            out["read_only_open_beside_writer"] = f"refused: {exc}"
            return out
        out["read_only_open_beside_writer"] = "ok"
        out["reader_sees_rows_at_open"] = count(reader) == expected(writer.total)
        writer.send("commit 100")
        out["open_reader_sees_later_commit"] = count(reader) == expected(writer.total)
        again = ladybug.Database(str(path), buffer_pool_size=POOL, read_only=True)
        out["reopened_reader_sees_later_commit"] = count(again) == expected(writer.total)
        again.close()
        writer.send("begin")
        during = ladybug.Database(str(path), buffer_pool_size=POOL, read_only=True)
        out["reader_opened_during_open_write_sees_it"] = count(during)[0] != writer.total
        during.close()
        writer.send("end")
        before = count(reader)
        for _ in range(5):
            writer.send(f"commit {max(1, rows // 2)}")
        writer.send("checkpoint")
        try:
            after = count(reader)
            out["stale_reader_after_writer_checkpoint"] = (
                "same snapshot as before" if after == before else f"changed: {before} -> {after}")
        except RuntimeError as exc:
            out["stale_reader_after_writer_checkpoint"] = f"error: {exc}"
        reader.close()
        fresh = ladybug.Database(str(path), buffer_pool_size=POOL, read_only=True)
        out["reopen_after_checkpoint_correct"] = count(fresh) == expected(writer.total)
        fresh.close()
        out["reopen_beside_writer"] = reopen_cost(path, "MATCH (i:Item) WHERE i.id = 7 RETURN i.v", repeat)
    finally:
        writer.quit()
    out["threads_in_one_process"] = threads_probe(path, 400)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--reopens", type=int, default=21)
    ap.add_argument("--db", type=Path, help="also time read-only reopens of this existing ChainLead file")
    args = ap.parse_args()
    out: dict[str, Any] = {"bench": "ladybug_processes", "ladybug": ladybug.Database.get_version(),
                           "machine": f"{platform.node()} {os.cpu_count()} cpu, {platform.python_version()}",
                           "load_average_before": [round(x, 1) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="chainlead-lbug-") as folder:
        out["probe"] = probe(Path(folder), args.rows, args.reopens)
        out["gil"] = gil_probe(Path(folder))
    if args.db:
        out["reopen_existing"] = {"file": str(args.db), "mb": round(args.db.stat().st_size / 2**20, 1),
                                  **reopen_cost(args.db, "MATCH (l:Lead) WHERE l.id = 'lead-syn-000007' "
                                                "RETURN l.title", args.reopens,
                                                then="MATCH (l:Lead) WHERE l.stage = 'negotiating' RETURN l.id, "
                                                "l.title ORDER BY l.expected_usd DESC SKIP 50 LIMIT 50")}
    out["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
