"""The in-process copies of list columns (crm/base/columns.py), one per store and list, kept as new as
the store: a write that names the rows it changed (the store's journal) is followed by re-reading just
those rows; after any other write the list reads the engine until a background thread has read the
copy again.
"""
from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from crm.base.columns import Columns

log = logging.getLogger("chainlead.columns")

SPACING = 0.5  # seconds at least between two reads of a copy, and at least 4x the last read's time


class Copies:
    """One copy per store and list. After a write the copy follows it: from the rows the write said it
    changed (the store's journal, EmbeddedStore.changed), else by a fresh read in a background thread.
    `current` never hands out a copy missing a write committed before it was called."""

    def __init__(self, spacing: float = SPACING, clock: Callable[[], float] = time.monotonic):
        self._spacing, self._clock = spacing, clock
        self._lock = threading.Lock()
        self._kept: weakref.WeakKeyDictionary[Any, dict[str, _Slot]] = weakref.WeakKeyDictionary()

    def current(self, store: Any, name: str, load: Callable[[], list[dict[str, Any]]],
                props: Sequence[str], *, wait: bool = False, label: str | None = None,
                load_some: Callable[[list[str]], list[dict[str, Any]]] | None = None) -> Columns | None:
        """The copy if it holds every write committed before the call (patched with `load_some(ids)` when
        the journal names the `label` rows changed since); else None, and a fresh read is started (or,
        with `wait`, made before answering)."""
        if not getattr(store, "journaled", False):
            return None
        with self._lock:
            slot = self._kept.setdefault(store, {}).setdefault(name, _Slot())
            copy = slot.copy
        if copy is not None:
            if label is not None and load_some is not None:
                followed = self._follow(store, slot, label, load_some)
                if followed is not None:
                    return followed
            elif copy.generation == store.writes:
                return copy
        with self._lock:
            start = not wait and not slot.reading and self._clock() >= slot.next_read
            if start:
                slot.reading = True
        if wait:  # read now, whatever a background read is doing
            generation = store.writes
            copy = self._read(store, slot, load, props)
            return copy if copy is not None and copy.generation >= generation else None
        if start:
            # Not a daemon: the interpreter waits for a read under way rather than end the process
            # inside a query (Ladybug then aborts).
            threading.Thread(target=self._read, args=(store, slot, load, props, True),
                             name=f"columns-{name}").start()
        return None

    def _follow(self, store: Any, slot: "_Slot", label: str,
                load_some: Callable[[list[str]], list[dict[str, Any]]]) -> Columns | None:
        """The copy brought up to the store's write count from the rows written since, when the journal
        names them; one thread patches while the others wait for it (a patch takes a millisecond or two).
        One question to the journal per call: for a web process beside the owner it is a round trip."""
        with slot.patching:
            copy = slot.copy
            if copy is None:
                return None
            generation, ids = store.changed(label, copy.generation)
            if ids is None:
                return None
            if generation == copy.generation:
                return copy
            try:
                later = copy.patched(_as_read(ids, load_some), generation) if ids else copy.at(generation)
            except Exception as exc:  # the store closed or failed: the lists read the engine
                log.debug("the copy could not follow the writes: %s", exc)
                return None
            with self._lock:
                if slot.copy is None or slot.copy.generation <= later.generation:
                    slot.copy = later
            return later

    def _read(self, store: Any, slot: "_Slot", load: Callable[[], list[dict[str, Any]]], props: Sequence[str],
              background: bool = False) -> Columns | None:
        began, copy = self._clock(), None
        try:
            generation = store.writes  # counted before reading: a write during the read makes the copy stale
            copy = Columns(load(), props, generation)
        except Exception as exc:  # the store closed or failed: the lists keep reading the engine
            log.debug("no copy of the columns: %s", exc)
        with self._lock:
            if copy is not None and (slot.copy is None or slot.copy.generation <= copy.generation):
                slot.copy = copy  # two reads may end out of order: the newer one stays
            if background:
                slot.reading = False
                slot.next_read = self._clock() + max(self._spacing, 4 * (self._clock() - began))
        return copy


def _as_read(ids: set[str], load_some: Callable[[list[str]], list[dict[str, Any]]]) -> dict[str, Any]:
    """Each changed id's row as the store now holds it, None for one that is gone."""
    found = {row["id"]: row for row in load_some(sorted(ids))}
    return {i: found.get(i) for i in sorted(ids)}


@dataclass
class _Slot:
    copy: Columns | None = None
    reading: bool = False
    next_read: float = 0.0
    patching: threading.Lock = field(default_factory=threading.Lock)


COPIES = Copies()
