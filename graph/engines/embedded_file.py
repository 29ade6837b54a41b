"""Opening the embedded database file: who holds it when it is locked, and the replay of a log that a
crash left torn (graph/engines/embedded.py keeps the open database)."""
from __future__ import annotations

import logging
import re
import shutil
import time
from pathlib import Path

import ladybug

from graph.errors import StoreError, StoreLocked

_LOCK_PID = re.compile(r"held by PID (\d+)")
log = logging.getLogger("chainlead.store")


def open_database(file: Path, pool: int, read_only: bool) -> ladybug.Database:
    """The database in `file`; StoreLocked naming the process that holds it, StoreError for the rest."""
    location = str(file.resolve())
    wal = file.with_name(file.name + ".wal")
    if not file.exists() and wal.exists():
        raise StoreError(f"{wal} is left from a database that is gone; move it away to start afresh")
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open_database(file, pool, read_only)
    except RuntimeError as exc:
        found = _LOCK_PID.search(str(exc))
        if found or "lock" in str(exc).lower():
            who = _holder(found.group(1)) if found else "another process"
            raise StoreLocked(f"The database {location} is in use by {who}. Stop it first.") from None
        raise StoreError(f"cannot open {location}: {exc}") from None


def _holder(pid: str) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        cmd = ""
    return f"process {pid}" + (f" ({cmd})" if cmd else "")


def _keep_copy(wal: Path) -> str:
    """A copy of the torn log for a post-mortem, when the disk has room for it (the replay matters more)."""
    kept = wal.with_name(f"{wal.name}.torn-{time.strftime('%Y%m%dT%H%M%S')}")
    try:
        shutil.copy2(wal, kept)
    except OSError as exc:
        kept.unlink(missing_ok=True)
        return f"nowhere ({exc})"
    return str(kept)


def _open_database(file: Path, pool: int, read_only: bool) -> ladybug.Database:
    """Open the file; after a crash in the middle of a transaction, replay the WAL up to its torn tail.

    A process killed while writing a large transaction leaves a WAL whose last record is cut
    short, and Ladybug then refuses to open ("Checksum verification failed") although every
    transaction committed before it is intact (tests/reliability/test_crash_safety.py). Writes
    are serialised, so only the last, uncommitted transaction can be torn: the WAL is copied
    aside, then replayed leniently, which keeps the committed transactions and drops the tail.
    """
    try:
        return ladybug.Database(str(file), buffer_pool_size=pool, read_only=read_only)
    except RuntimeError as exc:
        wal = file.with_name(file.name + ".wal")
        # Seen so far: "Checksum verification failed, the WAL file is corrupted" and "Reading past
        # the end of the file <file>.wal" (a kill while the record was being written).
        if read_only or not wal.exists() or ("WAL" not in str(exc) and str(wal) not in str(exc)):
            raise
        kept = _keep_copy(wal)
        log.warning("%s: the write-ahead log ends in a torn write (%s): the process was stopped in the middle "
                    "of a transaction, or the disk filled. Committed transactions are replayed and the unfinished "
                    "one dropped; the original log is kept as %s.", file, exc, kept)
    return ladybug.Database(str(file), buffer_pool_size=pool, read_only=read_only, throw_on_wal_replay_failure=False)
