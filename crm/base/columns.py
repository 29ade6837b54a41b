"""An in-process copy of the columns a list filters and sorts on, for a store without property indexes.

Ladybug indexes only the key, so each filtered, sorted page scans every row (about 0.15 ms per
1,000 leads, twice that under eight serving threads). This copy answers a list's total and its
page of ids from numpy arrays instead, in time that hardly grows with the rows. It is used only
while it is exact: a copy belongs to the store's write count it was read at, and only a store
that sees every write (`sole_writer`: the embedded engine in the process that owns the file) gets
one. After a write the list reads the engine until a background thread has read the copy again,
so no answer is ever older than the store.
"""
from __future__ import annotations

import bisect
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from crm.base.keyset import Cursor
from crm.base.listing import Term

log = logging.getLogger("chainlead.columns")

SPACING = 0.5  # seconds at least between two reads of a copy, and at least 4x the last read's time
KEPT_SEARCHES = 16  # search texts whose matches a column keeps
KEPT_FILTERS = 32  # filters whose matching rows a copy keeps
FIRST_CHUNK = 2048  # rows of the sorted order looked at first for a page (then 4x as many, and so on)


class Column:
    """One property's values as codes into its sorted distinct values; a missing value is the largest
    code, as both engines sort an unset key after every set one."""

    def __init__(self, values: Sequence[Any]):
        self.distinct = sorted({v for v in values if v is not None})
        self.null = len(self.distinct)
        code = {v: n for n, v in enumerate(self.distinct)}
        self.codes = np.fromiter((self.null if v is None else code[v] for v in values), np.int32, len(values))
        self._searched: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def where(self, op: str, value: Any) -> np.ndarray:
        """Which rows meet the condition; an unset value meets none but IS NULL, as in Cypher."""
        if op == "IS NULL":
            return self.codes == self.null
        if op == "IS NOT NULL":
            return self.codes != self.null
        wanted = np.zeros(self.null + 1, dtype=bool)  # by code; the last one, unset, stays False
        if op == "=":
            wanted[self._codes_of([value])] = True
        elif op == "IN":
            wanted[self._codes_of(value)] = True
        elif op == "CONTAINS":
            wanted[:-1] = self._containing(value)
        else:
            raise ValueError(f"unknown operator {op!r}")
        return wanted[self.codes]

    def _containing(self, text: str) -> np.ndarray:
        """Which distinct values contain the text; the last few answers are kept, as the pages of one
        search ask the same."""
        with self._lock:
            found = self._searched.get(text)
        if found is None:
            found = np.fromiter((text in v for v in self.distinct), dtype=bool, count=len(self.distinct))
            with self._lock:
                if len(self._searched) >= KEPT_SEARCHES:
                    self._searched.pop(next(iter(self._searched)))
                self._searched[text] = found
        return found

    def _codes_of(self, values: Sequence[Any]) -> list[int]:
        return [int(n) for n in (self.place(v) for v in values if v is not None) if n == int(n)]

    def place(self, value: Any) -> float:
        """The value's code, or half a step below the next larger one when no row has it."""
        if value is None:
            return self.null
        n = bisect.bisect_left(self.distinct, value)
        found = n < len(self.distinct) and self.distinct[n] == value and type(self.distinct[n]) is type(value)
        return n if found else n - 0.5

    def value(self, code: int) -> Any:
        return None if code == self.null else self.distinct[code]


@dataclass
class Order:
    rows: np.ndarray  # row numbers in list order
    keys: np.ndarray  # each listed row's place in that order as one number (key, then id), ascending


class Columns:
    """The rows' ids and chosen properties, read at one write count of the store."""

    def __init__(self, rows: list[dict[str, Any]], props: Sequence[str], generation: int):
        self.generation = generation
        self.ids = [r["id"] for r in rows]
        self.id = Column(self.ids)
        self.columns = {p: Column([r[p] for r in rows]) for p in props}
        self._orders: dict[tuple[str, bool], Order] = {}
        self._matched: dict[tuple[Any, ...], np.ndarray] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def matching(self, terms: list[Term]) -> np.ndarray:
        """Which rows meet every term; the last few filters' answers are kept (a copy never changes)."""
        key = tuple((t.prop, t.op, tuple(t.value) if isinstance(t.value, list) else t.value) for t in terms)
        with self._lock:
            mask = self._matched.get(key)
        if mask is None:
            mask = np.ones(len(self.ids), dtype=bool)
            for term in terms:
                mask &= self.columns[term.prop].where(term.op, term.value)
            with self._lock:
                if len(self._matched) >= KEPT_FILTERS:
                    self._matched.pop(next(iter(self._matched)))
                self._matched[key] = mask
        return mask

    def count(self, terms: list[Term]) -> int:
        return int(self.matching(terms).sum())

    def tally(self, terms: list[Term], prop: str) -> dict[Any, int]:
        """How many matching rows hold each value of `prop` (values no row holds left out)."""
        column = self.columns[prop]
        counts = np.bincount(column.codes[self.matching(terms)], minlength=column.null + 1)
        return {column.value(code): int(n) for code, n in enumerate(counts) if n}

    def page(self, terms: list[Term], prop: str, desc: bool, *, skip: int = 0, limit: int,
             after: Cursor | None = None) -> list[dict[str, Any]]:
        """Rows {id, k} of the page in the engines' order (key, unset last ascending and first descending;
        ties by id): `skip` rows in, or the rows after the cursor."""
        order = self._order(prop, desc)
        start = 0
        if after is not None:
            start = int(np.searchsorted(order.keys, self._place(prop, desc, after.key, after.id), side="right"))
        mask, chunk, wanted = self.matching(terms), FIRST_CHUNK, skip + limit
        found: list[np.ndarray] = []
        while start < len(order.rows) and wanted > 0:  # most pages lie in the first few thousand rows
            rows = order.rows[start:start + chunk]
            hit = rows[mask[rows]]
            found.append(hit)
            wanted -= len(hit)
            start, chunk = start + chunk, chunk * 4
        hits = np.concatenate(found)[skip:skip + limit] if found else np.zeros(0, dtype=np.int64)
        column = self.columns[prop]
        return [{"id": self.ids[n], "k": column.value(int(column.codes[n]))} for n in hits]

    def _scale(self) -> int:
        return 2 * (len(self.ids) + 2)  # wider than every id code, so a key's half step stays between keys

    def _place(self, prop: str, desc: bool, key: Any, row_id: str) -> float:
        code = self.columns[prop].place(key)
        return (-code if desc else code) * self._scale() + self.id.place(row_id)

    def _order(self, prop: str, desc: bool) -> Order:
        with self._lock:
            found = self._orders.get((prop, desc))
            if found is None:
                codes = self.columns[prop].codes.astype(np.int64)
                major = -codes if desc else codes
                rows = np.lexsort((self.id.codes, major))
                keys = (major * self._scale() + self.id.codes)[rows].astype(np.float64)
                found = self._orders[(prop, desc)] = Order(rows, keys)
            return found


class Copies:
    """One copy per store and list, read again in a background thread after a write; `current` never
    hands out a copy older than the store."""

    def __init__(self, spacing: float = SPACING, clock: Callable[[], float] = time.monotonic):
        self._spacing, self._clock = spacing, clock
        self._lock = threading.Lock()
        self._kept: weakref.WeakKeyDictionary[Any, dict[str, _Slot]] = weakref.WeakKeyDictionary()

    def current(self, store: Any, name: str, load: Callable[[], list[dict[str, Any]]],
                props: Sequence[str], *, wait: bool = False) -> Columns | None:
        """The copy if it is as new as the store; else None, and a fresh read is started (or, with
        `wait`, made before answering)."""
        if not getattr(store, "sole_writer", False):
            return None
        with self._lock:
            slot = self._kept.setdefault(store, {}).setdefault(name, _Slot())
            copy = slot.copy
            if copy is not None and copy.generation == store.writes:
                return copy
            start = not wait and not slot.reading and self._clock() >= slot.next_read
            if start:
                slot.reading = True
        if wait:  # read now, whatever a background read is doing
            copy = self._read(store, slot, load, props)
            return copy if copy is not None and copy.generation == store.writes else None
        if start:
            # Not a daemon: the interpreter waits for a read under way rather than end the process
            # inside a query (Ladybug then aborts).
            threading.Thread(target=self._read, args=(store, slot, load, props, True),
                             name=f"columns-{name}").start()
        return None

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


@dataclass
class _Slot:
    copy: Columns | None = None
    reading: bool = False
    next_read: float = 0.0


COPIES = Copies()
