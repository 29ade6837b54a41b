"""Which nodes each committed write transaction said it changed, by label, so a cache of one label's
nodes (crm/base/columns.py) can follow the writes instead of reading everything again.

A statement names what it changed with `touches` (graph/store.py); a writing statement that names
nothing makes its transaction count as changing anything, so a cache is only ever told too much.
"""
from __future__ import annotations

import itertools
import re
import threading
from collections import deque

from graph.store import Touches

JOURNAL = 4096  # write transactions whose changed nodes are remembered
_WRITING = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|COPY|ALTER|DROP|CALL)\b", re.IGNORECASE)


class Changes:
    """What one open transaction has changed so far: label -> ids, or None once a writing statement
    named nothing."""

    def __init__(self) -> None:
        self.touched: dict[str, set[str]] | None = {}

    def note(self, query: str, touches: Touches) -> None:
        if self.touched is None:
            return
        if touches is None:
            if _WRITING.search(query):
                self.touched = None
            return
        for label, ids in touches.items():
            self.touched.setdefault(label, set()).update(ids)


class Journal:
    """The write count of a store and the changes of its last JOURNAL transactions."""

    def __init__(self) -> None:
        self.writes = 0
        self._entries: deque[tuple[int, dict[str, set[str]] | None]] = deque(maxlen=JOURNAL)
        self._lock = threading.Lock()

    def commit(self, changes: Changes) -> None:
        with self._lock:
            self.writes += 1
            self._entries.append((self.writes, changes.touched))

    def changed(self, label: str, since: int) -> tuple[int, set[str] | None]:
        """The write count now, and the ids of `label` nodes changed by the transactions after write
        `since`; None when one of them did not say what it changed, or the journal no longer reaches back."""
        with self._lock:
            now, entries = self.writes, list(itertools.takewhile(lambda e: e[0] > since, reversed(self._entries)))
        named = [touched for _, touched in entries if touched is not None]
        if now - since != len(named):  # a write that named nothing, or one the journal has forgotten
            return now, None
        return now, set().union(*(touched.get(label, ()) for touched in named))
