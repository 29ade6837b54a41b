"""The import journal: each import that writes is recorded from its first write to its last, so one
killed half-way (kill -9, a crash, a full disk) is noticed and named until a rerun completes it.

An import writes in batches, each its own transaction, and nothing can undo a kill: instead the
run is an `ImportRun` node, `running` with its rows done so far, `finished` at the end. A run still
`running` whose process is gone (same host, pid not alive) or that has not moved for
STALE_AFTER is interrupted; so is one `stopped` by an error in a process that lives on (the
app's background import). Re-running the same file is idempotent and marks the earlier runs of
that file as completed by the rerun.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm.base import memo
from crm.base.records import new_id

STALE_AFTER = timedelta(minutes=10)  # a live import reports every batch, which takes seconds


@dataclass(frozen=True)
class ImportRun:
    id: str
    kind: str
    file: str
    started_at: datetime
    updated_at: datetime
    done: int
    total: int
    status: str  # running | stopped | finished | completed_by_rerun
    host: str
    pid: int

    def interrupted(self, now: datetime) -> bool:
        if self.status == "stopped":
            return True
        if self.status != "running":
            return False
        if self.host == socket.gethostname():
            return not _alive(self.pid)
        return now - self.updated_at > STALE_AFTER

    def line(self) -> str:
        return (f"import of {self.kind} from {self.file} started {self.started_at:%Y-%m-%d %H:%M} UTC was "
                f"interrupted after {self.done:,} of {self.total:,} writes: run it again to complete it")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def begin(store: Any, *, kind: str, file: str, total: int, now: datetime) -> str:
    run_id = new_id("importrun")
    store.write("CREATE (r:ImportRun {id: $id}) SET r.kind = $kind, r.file = $file, r.started_at = $now, "
                "r.updated_at = $now, r.done = 0, r.total = $total, r.status = 'running', r.host = $host, "
                "r.pid = $pid", {"id": run_id, "kind": kind, "file": file, "now": now, "total": total,
                                 "host": socket.gethostname(), "pid": os.getpid()})
    _recent.forget()
    return run_id


def advance(store: Any, run_id: str, done: int, *, now: datetime) -> None:
    store.write("MATCH (r:ImportRun {id: $id}) SET r.done = $done, r.updated_at = $now",
                {"id": run_id, "done": done, "now": now})


def finish(store: Any, run_id: str, *, kind: str, file: str, now: datetime) -> None:
    """This run is complete, and so are the earlier runs of the same file it repeated."""
    store.write("MATCH (r:ImportRun) WHERE r.kind = $kind AND r.file = $file AND r.status IN ['running', 'stopped'] "
                "AND r.id <> $id SET r.status = 'completed_by_rerun', r.updated_at = $now",
                {"id": run_id, "kind": kind, "file": file, "now": now})
    store.write("MATCH (r:ImportRun {id: $id}) SET r.status = 'finished', r.done = r.total, r.updated_at = $now",
                {"id": run_id, "now": now})
    _recent.forget()


def stop(store: Any, run_id: str, *, now: datetime) -> None:
    """The import failed while its process lives on: it is interrupted now, not when the process ends."""
    store.write("MATCH (r:ImportRun {id: $id}) SET r.status = 'stopped', r.updated_at = $now",
                {"id": run_id, "now": now})
    _recent.forget()


def interrupted(store: Any, *, now: datetime) -> list[ImportRun]:
    """Imports that stopped half-way and were not completed since, oldest first."""
    return [r for r in _running(store) if r.interrupted(now)]


def interrupted_lately(store: Any, *, now: datetime) -> list[ImportRun]:
    """The same, from what the store said within memo.TTL_SECONDS: /healthz is polled every few seconds,
    and the read was most of its cost (this process's imports forget it as they write)."""
    return [r for r in _recent.get_or_load(memo.keyed(store, "running"), lambda: _running(store)) if r.interrupted(now)]


def _running(store: Any) -> list[ImportRun]:
    rows = store.read("MATCH (r:ImportRun) WHERE r.status IN ['running', 'stopped'] RETURN r AS run "
                      "ORDER BY r.started_at")
    return [ImportRun(**{k: row["run"][k] for k in ImportRun.__dataclass_fields__}) for row in rows]


_recent: memo.Recent[list[ImportRun]] = memo.Recent()
