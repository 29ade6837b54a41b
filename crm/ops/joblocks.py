"""Job leases in the store: however many schedulers run against one Neo4j, each job fires once.

A runner may start a job when its `JobLock` is free: no lease held (or the lease has expired,
so a crashed runner does not block it for ever) and the last start is at least `spacing` ago
(half the job's period, so two runners whose clocks fire a few seconds apart do not both run the
same slot). The claim is a version-checked write: the lock node's version is bumped first, which
takes the write lock, and the claim stands only if the version is the one read and the lease
is still free under that lock.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from graph.errors import ConstraintViolation

log = logging.getLogger("chainlead.jobs")
DEFAULT_LEASE = timedelta(minutes=30)


class _Taken(Exception):
    """Someone else holds or has just run the job (rolls the claim back)."""


def runner_id() -> str:
    """Who holds a lease: host, process and a random part (two schedulers in one process differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Lease:
    name: str
    holder: str | None = None
    until: datetime | None = None
    last_run_at: datetime | None = None
    last_finished_at: datetime | None = None
    last_status: str | None = None
    last_count: int | None = None
    last_error: str | None = None
    version: int = 0

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> "Lease":
        values: dict[str, Any] = {k: node.get(k) for k in cls.__dataclass_fields__ if k != "name"}
        values["version"] = values.get("version") or 0
        return cls(name=node["id"], **values)

    def free(self, now: datetime, spacing: timedelta) -> bool:
        idle = self.until is None or self.until <= now
        rested = self.last_run_at is None or self.last_run_at + spacing <= now
        return idle and rested


def lease(store: Any, name: str) -> Lease | None:
    rows = store.read("MATCH (j:JobLock {id: $id}) RETURN j", {"id": name})
    return Lease.from_node(rows[0]["j"]) if rows else None


def leases(store: Any) -> list[Lease]:
    return [Lease.from_node(r["j"]) for r in store.read("MATCH (j:JobLock) RETURN j ORDER BY j.id")]


def _ensure(store: Any, name: str) -> Lease:
    found = lease(store, name)
    if found is not None:
        return found
    try:
        store.write("MERGE (j:JobLock {id: $id}) ON CREATE SET j.version = 0", {"id": name})
    except ConstraintViolation:
        log.debug("job lock %s was created by another runner at the same moment", name)
    return lease(store, name) or Lease(name)


def claim(store: Any, name: str, *, holder: str, now: datetime, spacing: timedelta,
          hold: timedelta = DEFAULT_LEASE) -> bool:
    """Take the job's lease for `holder` if it is free; True when this runner should run the job."""
    seen = _ensure(store, name)
    if not seen.free(now, spacing):
        return False

    def work(tx: Any) -> None:
        rows = tx.run("MATCH (j:JobLock {id: $id}) SET j.version = coalesce(j.version, 0) + 1 RETURN j", {"id": name})
        current = Lease.from_node(rows[0]["j"])
        if current.version - 1 != seen.version or not current.free(now, spacing):
            raise _Taken()
        tx.run("MATCH (j:JobLock {id: $id}) SET j.holder = $holder, j.until = $until, j.last_run_at = $now",
               {"id": name, "holder": holder, "until": now + hold, "now": now})

    try:
        store.transaction(work)
    except _Taken:
        return False
    return True


def finish(store: Any, name: str, *, holder: str, now: datetime, status: str, count: int | None = None,
           error: str | None = None) -> None:
    """Release the lease and record how the run went (only the holder may)."""
    store.write("MATCH (j:JobLock {id: $id}) WHERE j.holder = $holder SET j.until = NULL, j.last_finished_at = $now, "
                "j.last_status = $status, j.last_count = $count, j.last_error = $error, j.version = j.version + 1",
                {"id": name, "holder": holder, "now": now, "status": status, "count": count,
                 "error": (error or "")[:500] or None})


def run_locked(store: Any, name: str, job: Callable[..., int], *, holder: str, now: datetime, spacing: timedelta,
               hold: timedelta = DEFAULT_LEASE) -> int | None:
    """Run `job(store, now=now)` if this runner wins its lease; None when another runner has it.

    A failing job is recorded on its lease and re-raised for the scheduler to log; the lease is
    released, so the next run tries again.
    """
    if not claim(store, name, holder=holder, now=now, spacing=spacing, hold=hold):
        log.debug("job %s: another runner has it", name)
        return None
    try:
        count = job(store, now=now)
    except Exception as exc:
        try:
            finish(store, name, holder=holder, now=now, status="failed", error=f"{type(exc).__name__}: {exc}")
        except Exception:
            log.warning("job %s failed and its lease could not be released; it expires by itself", name)
        raise
    finish(store, name, holder=holder, now=now, status="ok", count=int(count or 0))
    return int(count or 0)
