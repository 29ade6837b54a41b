"""The embedded engine: LadybugDB in this process, one database file.

Ladybug fails a second concurrent write transaction at once instead of waiting, so writes are
serialised here by one process-wide lock; reads run concurrently, each thread on its own
connection. Only one process may open the file for writing; a second gets `StoreLocked`
naming the process that holds it.
"""
from __future__ import annotations

import itertools
import logging
import queue
import re
import shutil
import threading
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import ladybug

from graph import ddl
from graph.errors import ConstraintViolation, QueryError, StorageFailing, StoreError, StoreLocked, StoreUnavailable
from graph.schema import SCHEMA, Schema
from graph.store import Params, Row, Touches
from graph.values import row_from_store, to_store

T = TypeVar("T")

_LOCK_PID = re.compile(r"held by PID (\d+)")
log = logging.getLogger("chainlead.store")
# Each query on one thread: the serving threads already run queries side by side, and a query that
# woke Ladybug's worker threads spent more CPU handing work over than it saved (/healthz: 0.95 ->
# 0.66 ms CPU per request under 8 serving threads; the 20,000-company gap analysis no slower).
QUERY_THREADS = 1
KEPT_CONNECTIONS = 8  # connections kept open between uses: one per thread of `chainlead serve` (EmbeddedStore._conn)
PING_SECONDS = 1.0
CLOSE_WAIT_SECONDS = 30  # close() waits this long for queries still running on other threads
JOURNAL = 4096  # write transactions whose changed nodes the store remembers (EmbeddedStore.changed)
_WRITING = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|COPY|ALTER|DROP|CALL)\b", re.IGNORECASE)
_PREPARED = "_chainlead_prepared"  # an unused parameter: Ladybug prepares and caches only queries with parameters


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


class _BufferFull(StoreUnavailable):
    """The buffer pool had no free page; the store frees what its kept connections hold and retries once."""


_COMMITTED_BUT = "Transaction committed successfully, but the post-commit checkpoint failed"
_IO_FAILURE = ("IO exception", "No space left", "Cannot write to file", "Input/output error")


def _translate(exc: Exception, query: str) -> StoreError:
    text = str(exc)
    if any(sign in text for sign in _IO_FAILURE) and _COMMITTED_BUT not in text:
        return StorageFailing(f"the disk under the database is full or failing ({text.splitlines()[0][:300]})")
    if "duplicated primary key" in text:
        return ConstraintViolation(text)
    if "Buffer manager exception" in text:
        # Still full after the store's own retry (EmbeddedStore._retrying): a 503, not a 500.
        return _BufferFull(f"the embedded database is out of buffer pool memory right now ({text}); retry "
                           "shortly, and if it recurs raise CHAINLEAD_BUFFER_POOL_MB")
    return QueryError(f"{text}\nin query: {query.strip()[:400]}")


class _Tx:
    """One open Ladybug transaction; after a failed statement it refuses further work."""

    def __init__(self, conn: ladybug.Connection):
        self._conn = conn
        self.failed = False
        self.touched: dict[str, set[str]] | None = {}  # label -> ids changed; None: a write that said nothing

    def run(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        if self.failed:
            raise QueryError("the transaction already failed and was rolled back")
        try:
            rows = _execute(self._conn, query, params)
        except StoreError:
            self.failed = True
            raise
        if touches is None:
            if self.touched is not None and _WRITING.search(query):
                self.touched = None
        elif self.touched is not None:
            for label, ids in touches.items():
                self.touched.setdefault(label, set()).update(ids)
        return rows


def _execute(conn: ladybug.Connection, query: str, params: Params) -> list[Row]:
    try:
        result = conn.execute(query, to_store(dict(params or {})))
    except RuntimeError as exc:
        raise _translate(exc, query) from None
    assert not isinstance(result, list), "one statement per call"
    keys = result.get_column_names()
    return [row_from_store(keys, values) for values in result.get_all()]  # type: ignore[arg-type]


def _roll_back(conn: ladybug.Connection) -> None:
    """Roll back whatever is open. A failed statement was rolled back by Ladybug already, but a
    parameter that failed to convert (a lone surrogate) left the transaction open: always ask."""
    try:
        _execute(conn, "ROLLBACK", None)
    except StoreError as exc:
        if "no active transaction" not in str(exc).lower():
            log.warning("rollback failed (%s); the connection is closed, not reused", exc)


class EmbeddedStore:
    engine = "embedded"

    def __init__(self, path: str | Path, *, buffer_pool_mb: int = 512, read_only: bool = False,
                 schema: Schema = SCHEMA):
        file = Path(path)
        self.location = str(file.resolve())
        self.schema = schema
        self.writes = 0  # committed write transactions of this process: lets caches tell a change
        self.sole_writer = not read_only  # the file's lock keeps every other writer out
        wal = file.with_name(file.name + ".wal")
        if not file.exists() and wal.exists():
            raise StoreError(f"{wal} is left from a database that is gone; move it away to start afresh")
        file.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = _open_database(file, buffer_pool_mb * 1024 * 1024, read_only)
        except RuntimeError as exc:
            found = _LOCK_PID.search(str(exc))
            if found or "lock" in str(exc).lower():
                who = _holder(found.group(1)) if found else "another process"
                raise StoreLocked(
                    f"The database {self.location} is in use by {who}. Stop it first.") from None
            raise StoreError(f"cannot open {self.location}: {exc}") from None
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._idle: queue.SimpleQueue[ladybug.Connection] = queue.SimpleQueue()
        self._pool_lock = threading.Lock()
        self._returned = threading.Condition(self._pool_lock)  # close() waits for lent connections
        self._lent = 0
        self._closed = False
        self._pinged = -PING_SECONDS  # when ping() last ran its query (time.monotonic)
        self.failing: str | None = None  # why writes are refused (the disk failed one), until a restart
        self._all: dict[ladybug.Connection, list[int]] = {}  # open connection -> [generation, uses]
        self._generation = 0
        self._journal: deque[tuple[int, dict[str, set[str]] | None]] = deque(maxlen=JOURNAL)
        self._journal_lock = threading.Lock()

    @contextmanager
    def _conn(self) -> Iterator[ladybug.Connection]:
        """Lend a connection: request threads come and go, a connection per serving thread stays pooled.

        A kept connection holds its prepared statements, so it answers a repeated query ~6x faster
        than a new one; they are kept until memory is short, not recycled by count. Ladybug keeps
        buffer-pool memory for each connection that has run queries until it is closed, growing with
        the variety of queries (seventeen different reads of a small store filled 64 MB), so when the
        pool runs full `_relieve` starts a new generation and the older connections are closed.
        """
        conn = self._borrow()
        failed = False
        try:
            yield conn
        except BaseException:
            failed = True  # its state is unknown (a transaction may be open): never lend it again
            raise
        finally:
            with self._pool_lock:
                life = self._all[conn]
                life[1] += 1
                keep = (not failed and not self._closed and life[0] == self._generation
                        and self._idle.qsize() < KEPT_CONNECTIONS)
                if not keep:
                    del self._all[conn]
                self._lent -= 1
                self._returned.notify_all()
            if keep:
                self._idle.put(conn)
            else:
                conn.close()

    def _borrow(self) -> ladybug.Connection:
        with self._pool_lock:
            if self._closed:
                raise StoreError(f"{self.location} is closed")
            self._lent += 1
        try:
            return self._lend()
        except BaseException:
            with self._pool_lock:
                self._lent -= 1
                self._returned.notify_all()
            raise

    def _lend(self) -> ladybug.Connection:
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                break
            with self._pool_lock:
                if self._all[conn][0] == self._generation:
                    return conn
                del self._all[conn]
            conn.close()
        conn = ladybug.Connection(self._db)
        conn.set_max_threads_for_exec(QUERY_THREADS)
        with self._pool_lock:
            self._all[conn] = [self._generation, 0]
        return conn

    def _relieve(self) -> None:
        """Give back the memory kept connections hold: idle ones close now, busy ones when returned."""
        with self._pool_lock:
            self._generation += 1
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            with self._pool_lock:
                self._all.pop(conn, None)
            conn.close()

    def _retrying(self, attempt: Callable[[], T]) -> T:
        """Run attempt(); when the buffer pool is full, free the kept connections' memory and run it once more."""
        try:
            return attempt()
        except _BufferFull as exc:
            log.info("buffer pool full, closing kept connections and retrying: %s", exc)
            self._relieve()
            return attempt()

    def read(self, query: str, params: Params = None) -> list[Row]:
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            return tx.run(query, params)

        prepared = dict(params) if params else {_PREPARED: 0}  # a parameterless read is prepared once, too

        def attempt() -> list[Row]:
            with self._conn() as conn:
                return _execute(conn, query, prepared)

        return self._retrying(attempt)

    def write(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        return self.transaction(lambda tx: tx.run(query, params, touches))

    def changed(self, label: str, since: int) -> tuple[int, set[str] | None]:
        """The write count now, and the ids of `label` nodes changed by the transactions after write
        `since`; None when one of them did not say what it changed, or the journal no longer reaches back."""
        with self._journal_lock:
            now, entries = self.writes, list(itertools.takewhile(lambda e: e[0] > since, reversed(self._journal)))
        named = [touched for _, touched in entries if touched is not None]
        if now - since != len(named):  # a write that named nothing, or one the journal has forgotten
            return now, None
        return now, set().union(*(touched.get(label, ()) for touched in named))

    def transaction(self, work: Callable[[Any], T]) -> T:
        """Run work(tx) atomically; a transaction opened inside another joins it.

        A transaction that finds the buffer pool full is rolled back and run once more after
        `_relieve` (as on Neo4j, a transaction function may run twice: it has no outside effects).
        After the disk failed a write, every write is refused (StorageFailing, a 503) without
        touching the log again: a write after a torn one would bury the tear mid-log, where the replay
        at the next start cannot step over it. Freeing space and restarting replays the log.
        """
        with self._write_lock:
            current = getattr(self._local, "tx", None)
            if current is not None:
                return work(current)
            if self.failing:
                raise StorageFailing(self.failing)
            try:
                result, touched = self._retrying(lambda: self._transaction(work))
            except StorageFailing as exc:
                self._fail(str(exc))
                raise
            with self._journal_lock:
                self.writes += 1
                self._journal.append((self.writes, touched))
            return result

    def _fail(self, reason: str) -> None:
        if not self.failing:
            log.error("%s: %s. Writes are refused from now on; free space, then restart ChainLead (the log is "
                      "replayed and every acknowledged write kept).", self.location, reason)
        self.failing = (f"{reason}. Writes are refused until space is freed and ChainLead restarted; "
                        "what was saved before is kept.")

    def _transaction(self, work: Callable[[Any], T]) -> tuple[T, dict[str, set[str]] | None]:
        with self._conn() as conn:
            _execute(conn, "BEGIN TRANSACTION", None)
            tx = _Tx(conn)
            self._local.tx = tx
            try:
                result = work(tx)
            except BaseException:
                _roll_back(conn)
                raise
            finally:
                self._local.tx = None
            try:
                _execute(conn, "COMMIT", None)
            except QueryError as exc:
                if _COMMITTED_BUT not in str(exc):
                    raise
                self._fail(f"the disk under the database is full or failing: {exc}")  # the commit itself held
            return result, tx.touched

    def ensure_schema(self) -> list[str]:
        """Create missing tables, columns and endpoint pairs; return the statements it ran."""
        done: list[str] = []
        with self._write_lock, self._conn() as conn:
            tables = {r["name"] for r in _execute(conn, "CALL show_tables() RETURN name", None)}

            def run(statement: str) -> None:
                _execute(conn, statement, None)
                done.append(statement)

            for nt in self.schema.nodes.values():
                if nt.label not in tables:
                    run(ddl.ladybug_create_node(nt))
                    continue
                have = self._columns(conn, nt.label)
                for p in nt.props:
                    if p.name not in have:
                        run(ddl.ladybug_add_column(nt.label, p))
            for rt in self.schema.rels.values():
                if rt.type not in tables:
                    run(ddl.ladybug_create_rel(rt))
                    continue
                pairs = {(r["source table name"], r["destination table name"]) for r in
                         _execute(conn, f"CALL show_connection('{rt.type}') RETURN *", None)}
                for a, b in rt.ends:
                    if (a, b) not in pairs:
                        run(ddl.ladybug_add_ends(rt, a, b))
                have = self._columns(conn, rt.type)
                for p in rt.props:
                    if p.name not in have:
                        run(ddl.ladybug_add_column(rt.type, p))
        return done

    @staticmethod
    def _columns(conn: ladybug.Connection, table: str) -> set[str]:
        return {r["name"] for r in _execute(conn, f"CALL table_info('{table}') RETURN name", None)}

    def ping(self) -> None:
        """Raise when the store cannot serve. The database lives in this process, so a query proves
        little more than the last one did: it runs at most once per PING_SECONDS (a health probe
        polled under load cost a store round trip per request)."""
        if self.failing:
            raise StorageFailing(self.failing)
        if self._closed:
            raise StoreError(f"{self.location} is closed")
        now = time.monotonic()
        if now - self._pinged >= PING_SECONDS:
            self.read("RETURN 1 AS ok")
            self._pinged = now

    def close(self) -> None:
        """Close once the connections lent out are back (a background read may still run): closing one
        under a running query would take the process down."""
        with self._pool_lock:
            self._closed = True
            self._returned.wait_for(lambda: self._lent == 0, timeout=CLOSE_WAIT_SECONDS)
            lent = self._lent
        if lent:
            log.warning("%s: closing with %d queries still running", self.location, lent)
        for conn in list(self._all):
            conn.close()
        self._all.clear()
        self._db.close()
