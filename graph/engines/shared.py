"""The embedded store shared with other processes: its owner serves the store port over a local socket.

Only one process may open the Ladybug file read-write, and one process's threads use one core
(docs/processes.md). So the owner (`chainlead serve`) keeps the file, the single-writer lock and
the WAL recovery as they are, and answers `read`, `write` and `transaction` for other web
processes on the same machine (`chainlead serve --via-app`), which do the request work on the
other core. The socket sits beside the database file (`<file>.store.sock`, mode 0600) and the
owner checks the peer's account. Frames are length-prefixed pickles: both ends are the same
program run by the same account, which can read the database file anyway.

A transaction holds the owner's write lock across the socket: the owner runs it in the
connection's thread and rolls it back if the web process goes away. When the owner must run
it again (its buffer pool was full), it says "retry" and the web process runs its `work` again,
as a Neo4j driver would.
"""
from __future__ import annotations

import logging
import pickle
import socket
import struct
import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

from graph.errors import StoreError, StoreUnavailable
from graph.local_socket import close_listener, listen_private, peer_uid, trusted
from graph.schema import SCHEMA
from graph.store import Params, Row, Touches

T = TypeVar("T")
log = logging.getLogger("chainlead.store")
_SIZE = struct.Struct("!I")


def store_socket(db_file: str | Path) -> Path:
    file = Path(db_file).resolve()
    return file.with_name(file.name + ".store.sock")


def _send(conn: socket.socket, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    conn.sendall(_SIZE.pack(len(data)) + data)


def _recv(conn: socket.socket) -> Any:
    head = _exactly(conn, _SIZE.size)
    return pickle.loads(_exactly(conn, _SIZE.unpack(head)[0]))


def _exactly(conn: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the other end closed the store connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _portable(exc: BaseException) -> BaseException:
    """The error as the web process should raise it (anything that does not pickle becomes a StoreError)."""
    try:
        pickle.dumps(exc)
        return exc
    except Exception:
        return StoreError(f"{type(exc).__name__}: {exc}")


_JOURNAL = ("writes", "changed")  # questions to the owner's journal (EmbeddedStore.writes, .changed)


class _Rollback(Exception):
    """The web process asked for the transaction to be rolled back."""


class StoreServer:
    """The owner's side: a thread per connected web-process thread."""

    def __init__(self, store: Any, path: Path):
        self.store, self.path = store, path
        self.listener = listen_private(path, 64)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        threading.Thread(target=self._accept, name="store-server", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), name="store-conn", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with self._open_lock:
            self._open.add(conn)
        try:
            self._serve_one(conn)
        finally:
            with self._open_lock:
                self._open.discard(conn)

    def _serve_one(self, conn: socket.socket) -> None:
        with conn:
            uid = peer_uid(conn)
            if not trusted(uid):
                log.warning("refused a store connection from uid %s", uid)
                return
            try:
                while True:
                    self._answer(conn, _recv(conn))
            except (ConnectionError, OSError, EOFError):
                return

    def _answer(self, conn: socket.socket, message: tuple) -> None:
        kind = message[0]
        if kind == "begin":
            self._transaction(conn)
            return
        try:
            if kind in ("read", "write"):
                value: Any = getattr(self.store, kind)(message[1], message[2])
            elif kind in _JOURNAL:
                value = self._journal(message)
            elif kind == "ping":
                value = self.store.ping()
            elif kind == "ensure_schema":
                value = self.store.ensure_schema()
            else:
                raise StoreError(f"unknown store request {kind!r}")
        except Exception as exc:
            _send(conn, ("error", _portable(exc)))
            return
        _send(conn, ("ok", value))

    def _journal(self, message: tuple) -> Any:
        return self.store.writes if message[0] == "writes" else self.store.changed(message[1], message[2])

    def _transaction(self, conn: socket.socket) -> None:
        attempts = [0]

        def work(tx: Any) -> None:
            _send(conn, ("retry",) if attempts[0] else ("ok", None))  # the lock is ours: begun (or begun again)
            attempts[0] += 1
            while True:
                message = _recv(conn)  # a web process that went away raises here: rolled back
                if message[0] == "commit":
                    return
                if message[0] == "rollback":
                    raise _Rollback()
                if message[0] in _JOURNAL:  # a list's copy asked from inside the web process's transaction
                    _send(conn, ("ok", self._journal(message)))
                    continue
                try:
                    rows = tx.run(message[1], message[2], message[3])
                except StoreUnavailable as exc:
                    if type(exc).__name__ == "_BufferFull" and attempts[0] == 1:
                        raise  # the store frees memory and calls work once more
                    _send(conn, ("error", _portable(exc)))
                    continue
                except Exception as exc:
                    _send(conn, ("error", _portable(exc)))
                    continue
                _send(conn, ("ok", rows))

        try:
            self.store.transaction(work)
        except _Rollback:
            _send(conn, ("ok", None))
        except (ConnectionError, EOFError):
            raise
        except Exception as exc:
            _send(conn, ("error", _portable(exc)))
            return
        else:
            _send(conn, ("ok", None))

    def close(self) -> None:
        close_listener(self.listener, self.path)
        with self._open_lock:
            for conn in self._open:
                try:
                    conn.shutdown(socket.SHUT_RDWR)  # the web processes see the owner gone (503) and reconnect later
                except OSError:
                    pass


class _Retry(Exception):
    """The owner runs the transaction again: run work again from its start."""


class _RemoteTx:
    def __init__(self, conn: socket.socket):
        self._conn = conn

    def run(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        """`touches` goes along: the owner journals what the statement changed, so the copies of list columns
        in every process follow the write instead of reading everything again."""
        named = None if touches is None else {label: list(ids) for label, ids in touches.items()}
        _send(self._conn, ("run", query, dict(params or {}), named))
        return _reply(_recv(self._conn))


def _reply(message: tuple) -> Any:
    if message[0] == "ok":
        return message[1]
    if message[0] == "retry":
        raise _Retry()
    raise message[1]


class SharedStore:
    """The web process's side: the store port, each call answered by the owner's store."""

    engine = "embedded"

    def __init__(self, db_file: str | Path):
        self.location = str(Path(db_file).resolve())
        self.path = store_socket(db_file)
        self.schema = SCHEMA
        self.journaled = True  # every write passes through the owner, whose journal `writes` and `changed` ask
        self._local = threading.local()
        self._all: list[socket.socket] = []
        self._lock = threading.Lock()
        self._conn()  # fail now, with a clear message, if no owner listens

    def _conn(self) -> socket.socket:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(str(self.path))
            except OSError as exc:
                conn.close()
                raise StoreUnavailable(f"no ChainLead app owns {self.location} (nothing answers on {self.path}: "
                                       f"{exc}); start `chainlead serve` first") from None
            if not trusted(peer_uid(conn)):  # answers are unpickled: only from the app's own account
                conn.close()
                raise StoreUnavailable(f"{self.path} is served by another account; refusing it")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _call(self, *message: Any) -> Any:
        conn = self._conn()
        try:
            _send(conn, message)
            return _reply(_recv(conn))
        except (ConnectionError, OSError) as exc:
            self._drop(conn)
            raise StoreUnavailable(f"the app that owns {self.location} went away ({exc})") from None

    def _drop(self, conn: socket.socket) -> None:
        self._local.conn = None
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        conn.close()

    def read(self, query: str, params: Params = None) -> list[Row]:
        tx = getattr(self._local, "tx", None)
        if tx is not None:
            return tx.run(query, params)
        return self._call("read", query, dict(params or {}))

    def write(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        return self.transaction(lambda tx: tx.run(query, params, touches))

    @property
    def writes(self) -> int:
        """The owner's count of committed write transactions, from every process."""
        return self._call("writes")

    def changed(self, label: str, since: int) -> tuple[int, set[str] | None]:
        """The owner's journal (EmbeddedStore.changed): one round trip."""
        return self._call("changed", label, since)

    def transaction(self, work: Callable[[Any], T]) -> T:
        current = getattr(self._local, "tx", None)
        if current is not None:
            return work(current)
        conn = self._conn()
        try:
            _send(conn, ("begin",))
            _reply(_recv(conn))
            tx = _RemoteTx(conn)
            self._local.tx = tx
            try:
                while True:
                    try:
                        result = work(tx)
                        _send(conn, ("commit",))
                        _reply(_recv(conn))
                        return result
                    except _Retry:
                        continue
            except (ConnectionError, OSError):
                raise
            except BaseException:
                _send(conn, ("rollback",))
                _recv(conn)
                raise
            finally:
                self._local.tx = None
        except (ConnectionError, OSError) as exc:
            self._drop(conn)
            raise StoreUnavailable(f"the app that owns {self.location} went away ({exc})") from None

    def ensure_schema(self) -> list[str]:
        return self._call("ensure_schema")

    def ping(self) -> None:
        self._call("ping")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
