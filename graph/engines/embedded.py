"""The embedded engine: LadybugDB in this process, one database file.

Ladybug fails a second concurrent write transaction at once instead of waiting, so writes are
serialised here by one process-wide lock; reads run concurrently, each thread on its own
connection. Only one process may open the file for writing; a second gets `StoreLocked`
naming the process that holds it (graph/engines/embedded_file.py, which also replays a torn log).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import ladybug

from graph import ddl
from graph.engines.embedded_file import open_database
from graph.engines.ladybug_client import skip_json_rewrite_without_to_json
from graph.journal import Changes, Journal
from graph.errors import ConstraintViolation, QueryError, StorageFailing, StoreError, StoreUnavailable
from graph.schema import SCHEMA, Schema
from graph.store import Params, Row, Touches
from graph.values import row_from_store, to_store

T = TypeVar("T")

log = logging.getLogger("chainlead.store")
skip_json_rewrite_without_to_json()
# Each query on one thread: the serving threads already run queries side by side, and a query that
# woke Ladybug's worker threads spent more CPU handing work over than it saved (/healthz: 0.95 ->
# 0.66 ms CPU per request under 8 serving threads; the 20,000-company gap analysis no slower).
QUERY_THREADS = 1
KEPT_CONNECTIONS = 8  # connections kept open between uses: one per thread of `chainlead serve` (EmbeddedStore._conn)
PING_SECONDS = 1.0
CLOSE_WAIT_SECONDS = 30  # close() waits this long for queries still running on other threads
_PREPARED = "_chainlead_prepared"  # an unused parameter: Ladybug prepares and caches only queries with parameters


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
        self.changes = Changes()

    def run(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        if self.failed:
            raise QueryError("the transaction already failed and was rolled back")
        try:
            rows = _execute(self._conn, query, params)
        except StoreError:
            self.failed = True
            raise
        self.changes.note(query, touches)
        return rows


def _execute(conn: ladybug.Connection, query: str, params: Params) -> list[Row]:
    try:
        result = conn.execute(query, to_store(dict(params or {})))
    except RuntimeError as exc:
        raise _translate(exc, query) from None
    assert not isinstance(result, list), "one statement per call"
    keys = result.get_column_names()
    return [row_from_store(keys, values) for values in result.get_all()]  # type: ignore[arg-type]


def _roll_back(conn: ladybug.Connection) -> bool:
    """Roll back whatever is open; True when the connection is clean again. A failed statement was
    rolled back by Ladybug already, but a parameter that failed to convert (a lone surrogate) left the
    transaction open: always ask."""
    try:
        _execute(conn, "ROLLBACK", None)
    except StoreError as exc:
        if "no active transaction" not in str(exc).lower():
            log.warning("rollback failed (%s); the connection is closed, not reused", exc)
            return False
    return True


class EmbeddedStore:
    engine = "embedded"

    def __init__(self, path: str | Path, *, buffer_pool_mb: int = 512, read_only: bool = False,
                 schema: Schema = SCHEMA):
        file = Path(path)
        self.location = str(file.resolve())
        self.schema = schema
        self._journal = Journal()  # counts the committed writes and what each changed (`writes`, `changed`)
        self.journaled = not read_only  # the file's lock keeps every other writer out: the journal sees every write
        self._db = open_database(file, buffer_pool_mb * 1024 * 1024, read_only)
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
        clean = False  # after an error its state is unknown (a transaction may be open): never lend it again
        try:
            yield conn
            clean = True
        finally:
            self._give_back(conn, clean)

    def _give_back(self, conn: ladybug.Connection, clean: bool) -> None:
        with self._pool_lock:
            life = self._all[conn]
            life[1] += 1
            keep = (clean and not self._closed and life[0] == self._generation
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

    @property
    def writes(self) -> int:
        """Committed write transactions of this process: lets caches tell a change."""
        return self._journal.writes

    def changed(self, label: str, since: int) -> tuple[int, set[str] | None]:
        """The ids of `label` nodes the writes after `since` changed (graph/journal.py)."""
        return self._journal.changed(label, since)

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
                result, changes = self._retrying(lambda: self._transaction(work))
            except StorageFailing as exc:
                self._fail(str(exc))
                raise
            self._journal.commit(changes)
            return result

    def _fail(self, reason: str) -> None:
        if not self.failing:
            log.error("%s: %s. Writes are refused from now on; free space, then restart ChainLead (the log is "
                      "replayed and every acknowledged write kept).", self.location, reason)
        self.failing = (f"{reason}. Writes are refused until space is freed and ChainLead restarted; "
                        "what was saved before is kept.")

    def _transaction(self, work: Callable[[Any], T]) -> tuple[T, Changes]:
        """One transaction on a lent connection. A connection whose work was refused (an If-Match
        conflict, a claim already taken) goes back to the pool once rolled back, keeping its prepared
        statements: under load that happens many times a minute."""
        conn = self._borrow()
        clean = False
        try:
            _execute(conn, "BEGIN TRANSACTION", None)
            tx = _Tx(conn)
            self._local.tx = tx
            try:
                result = work(tx)
            except BaseException:
                clean = _roll_back(conn)
                raise
            finally:
                self._local.tx = None
            try:
                _execute(conn, "COMMIT", None)
            except QueryError as exc:
                if _COMMITTED_BUT not in str(exc):
                    raise
                self._fail(f"the disk under the database is full or failing: {exc}")  # the commit itself held
            clean = True
            return result, tx.changes
        finally:
            self._give_back(conn, clean)

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
