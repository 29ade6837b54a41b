"""Unix sockets beside the database file that only the app's account (and root) may use."""
from __future__ import annotations

import os
import socket
import struct
from pathlib import Path

_PEERCRED = struct.Struct("3i")


def listen_private(path: Path, backlog: int) -> socket.socket:
    """Bind with mode 0600 from the start (no moment where another account could connect).

    The caller holds the database, so a socket file left at `path` by a killed app is stale: it is replaced.
    """
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    before = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(before)
    os.chmod(path, 0o600)
    listener.listen(backlog)
    return listener


def peer_uid(conn: socket.socket) -> int:
    _, uid, _ = _PEERCRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size))
    return uid


def trusted(uid: int) -> bool:
    """The account the app runs as, or root."""
    return uid in (os.getuid(), 0)


def close_listener(listener: socket.socket, path: Path) -> None:
    try:
        listener.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    listener.close()
    path.unlink(missing_ok=True)
