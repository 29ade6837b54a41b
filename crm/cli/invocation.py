"""Where a command runs: in its own process, or inside the running app on a CLI user's behalf.

On the embedded engine only the serving process may open the database, so `chainlead serve`
runs the CLI's commands itself when asked over its local socket (web/cli_channel.py). The
commands are the same code either way; what differs is held here, per thread: the store (the
app's, lent, not opened), the folder relative paths start from, the environment the user
passed, and who ran the command (its audit name).
"""
from __future__ import annotations

import os
import pwd
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from crm.base.access import SYSTEM, Actor


@dataclass(frozen=True)
class Invocation:
    cwd: Path
    user: str  # the operating-system account that ran the command
    env: Mapping[str, str] = field(default_factory=dict)
    store: Any = None  # the running app's store, lent for this command; None: the command opens its own


class Lent:
    """The running app's store lent to one command: the command's `close()` leaves it open for the app."""

    def __init__(self, store: Any):
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def close(self) -> None:
        """The app keeps its store."""


_here = threading.local()


def os_user(uid: int | None = None) -> str:
    """The account name of uid (default: this process's), or the number when it has no name."""
    uid = os.getuid() if uid is None else uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def current() -> Invocation:
    found = getattr(_here, "invocation", None)
    return found if found is not None else Invocation(cwd=Path.cwd(), user=os_user(), env=os.environ)


@contextmanager
def running(invocation: Invocation) -> Iterator[Invocation]:
    """Run the commands called inside as `invocation` (in this thread only)."""
    before = getattr(_here, "invocation", None)
    _here.invocation = invocation
    try:
        yield invocation
    finally:
        _here.invocation = before


def lent_store() -> Any:
    """The store lent by the running app to this command, or None."""
    store = current().store
    return Lent(store) if store is not None else None


def path(given: Path) -> Path:
    """A path the user typed, relative to the folder they typed it in."""
    return given if given.is_absolute() else current().cwd / given


def env(name: str) -> str | None:
    return current().env.get(name) or None


def cli_actor() -> Actor:
    """Who a command acts as: an administrator named after the account that ran it (`cli:<account>`) in
    the audit trail, so a change made from the shell says who made it, whether the app ran or not."""
    user = current().user
    return Actor(id=SYSTEM.id, username=f"cli:{user}", role=SYSTEM.role,
                 display_name=f"{SYSTEM.display_name} CLI ({user})")
