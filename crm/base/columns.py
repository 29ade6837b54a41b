"""An in-process copy of the columns a list filters and sorts on, for a store without property indexes.

Ladybug indexes only the key, so each filtered, sorted page scans every row (about 0.15 ms per
1,000 leads, twice that under eight serving threads). This copy answers a list's total and its
page of ids from numpy arrays instead, in time that hardly grows with the rows. It is used only
while it is exact: a copy belongs to the store's write count it was read at, and only a store
whose journal sees every write (`journaled`: the embedded engine in the process that owns the file,
and a web process beside it, which asks the owner's journal) gets one (crm/base/copies.py keeps one
per store and follows the writes). So no answer misses a write committed before it was asked.
"""
from __future__ import annotations

import bisect
import math
import threading
from copy import copy as shallow_copy
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from crm.base.keyset import Cursor
from crm.base.listing import Term

KEPT_SEARCHES = 16  # search texts whose matches a column keeps
KEPT_FILTERS = 32  # filters whose matching rows a copy keeps
FIRST_CHUNK = 2048  # rows of the sorted order looked at first for a page (then 4x as many, and so on)
EXTRA_AT_MOST = 1024  # values first seen in patches a column keeps aside before joining them to the rest
CARRIED_AT_MOST = 4096  # written rows a kept order or filter answer is brought up to date for; more: made afresh


class Column:
    """One property's values as keys: a float per row that sorts as the values do (an unset value is
    +inf, as both engines sort an unset key after every set one). A value first seen in a patch takes
    a key between its neighbours', so a patch seldom renumbers the rows; when it must (two keys too
    close), the column's `numbering` changes, and sort orders kept from the old keys are made afresh.

    Values first seen in patches wait in a small sorted side list (`extra_*`) and join the distinct
    values only when it grows past EXTRA_AT_MOST: copying the sorted distinct values to insert one was
    most of a patch at 100,000 rows."""

    def __init__(self, distinct: list[Any], keys: np.ndarray, codes: np.ndarray, numbering: object | None = None):
        self.distinct, self.keys, self.codes = distinct, keys, codes
        self.numbering = numbering if numbering is not None else object()
        self.extra_values: list[Any] = []
        self.extra_keys: list[float] = []
        self._searched: dict[str, np.ndarray] = {}  # over `distinct` only
        self._lock = threading.Lock()

    @classmethod
    def of(cls, values: Sequence[Any]) -> "Column":
        """The column of these values, numbered afresh."""
        distinct = sorted({v for v in values if v is not None})
        key = {v: float(n) for n, v in enumerate(distinct)}
        codes = np.fromiter((math.inf if v is None else key[v] for v in values), np.float64, len(values))
        return cls(distinct, np.arange(len(distinct), dtype=np.float64), codes)

    def where(self, op: str, value: Any, rows: np.ndarray | None = None) -> np.ndarray:
        """Which rows (all, or those given) meet the condition; an unset value meets none but IS NULL,
        as in Cypher."""
        codes = self.codes if rows is None else self.codes[rows]
        if op == "IS NULL":
            return codes == math.inf
        if op == "IS NOT NULL":
            return codes != math.inf
        if op == "=":
            found = self._keys_of([value])
        elif op == "IN":
            found = self._keys_of(value)
        elif op == "CONTAINS" and rows is not None:  # a few rows: their own values, not every distinct one
            return np.fromiter((v is not None and value in v for v in map(self.value, codes)), bool, len(codes))
        elif op == "CONTAINS":
            found = self._keys_containing(value)
        else:
            raise ValueError(f"unknown operator {op!r}")
        if len(found) == 1:
            return codes == found[0]
        return np.isin(codes, found)

    def _keys_containing(self, text: str) -> np.ndarray:
        """The keys of the values that contain the text; the last few answers over the distinct values
        are kept, as the pages of one search ask the same."""
        with self._lock:
            found = self._searched.get(text)
        if found is None:
            found = np.fromiter((text in v for v in self.distinct), dtype=bool, count=len(self.distinct))
            with self._lock:
                if len(self._searched) >= KEPT_SEARCHES:
                    self._searched.pop(next(iter(self._searched)))
                self._searched[text] = found
        extra = [k for v, k in zip(self.extra_values, self.extra_keys) if text in v]
        return np.concatenate([self.keys[found], np.array(extra, dtype=np.float64)]) if extra else self.keys[found]

    def _keys_of(self, values: Sequence[Any]) -> np.ndarray:
        return np.array([k for v in values if v is not None and (k := self._key(v)) is not None], dtype=np.float64)

    def _key(self, value: Any) -> float | None:
        """The value's key when the column holds it."""
        for values, keys in ((self.distinct, self.keys), (self.extra_values, self.extra_keys)):
            n = bisect.bisect_left(values, value)
            if n < len(values) and values[n] == value and type(values[n]) is type(value):
                return float(keys[n])
        return None

    def _neighbours(self, value: Any) -> tuple[float | None, float | None]:
        """The keys of the values just below and just above one the column does not hold."""
        below: list[float] = []
        above: list[float] = []
        for values, keys in ((self.distinct, self.keys), (self.extra_values, self.extra_keys)):
            n = bisect.bisect_left(values, value)
            if n:
                below.append(float(keys[n - 1]))
            if n < len(values):
                above.append(float(keys[n]))
        return (max(below) if below else None), (min(above) if above else None)

    def place(self, value: Any) -> float:
        """The value's key, or a key between its neighbours' when no row has it."""
        if value is None:
            return math.inf
        key = self._key(value)
        return key if key is not None else _between(*self._neighbours(value))

    def value(self, code: float) -> Any:
        if code == math.inf:
            return None
        n = int(np.searchsorted(self.keys, code))
        if n < len(self.keys) and self.keys[n] == code:
            return self.distinct[n]
        return self.extra_values[bisect.bisect_left(self.extra_keys, code)]

    def patched(self, rows: np.ndarray, values: Sequence[Any], size: int) -> "Column":
        """A new column of `size` rows (rows past the old end are new) with `rows` set to `values`."""
        fresh = sorted({v for v in values if v is not None and self._key(v) is None})
        if not fresh and size == len(self.codes) and np.array_equal(self.codes[rows], [self.place(v) for v in values]):
            return self  # the write left this property as it was
        column = Column(self.distinct, self.keys, np.full(size, math.inf), self.numbering)  # old rows keep their keys
        column.codes[:len(self.codes)] = self.codes
        column.extra_values, column.extra_keys = list(self.extra_values), list(self.extra_keys)
        with self._lock:
            column._searched = dict(self._searched)
        for value in fresh:
            below, above = column._neighbours(value)
            key = _between(below, above)
            if not ((below is None or below < key) and (above is None or key < above)):
                return Column.of(self._values(size, rows, values))  # keys too close: number afresh
            n = bisect.bisect_left(column.extra_values, value)
            column.extra_values.insert(n, value)
            column.extra_keys.insert(n, key)
        if len(column.extra_values) > EXTRA_AT_MOST:
            column._merge_extra()
        column.codes[rows] = [math.inf if v is None else column.place(v) for v in values]
        return column

    def _merge_extra(self) -> None:
        """The side list joined to the distinct values (no key changes), on a column not yet shared."""
        extra = self.extra_values
        values, keys = self.distinct + extra, np.concatenate([self.keys, np.array(self.extra_keys)])
        order = np.argsort(keys, kind="stable")
        self.distinct, self.keys = [values[n] for n in order], keys[order]
        self._searched = {text: np.concatenate([found, np.fromiter((text in v for v in extra), bool, len(extra))])[order]
                          for text, found in self._searched.items()}
        self.extra_values, self.extra_keys = [], []

    def _values(self, size: int, rows: np.ndarray, values: Sequence[Any]) -> list[Any]:
        every = [self.value(c) for c in self.codes] + [None] * (size - len(self.codes))
        for n, value in zip(rows, values):
            every[n] = value
        return every


def _between(below: float | None, above: float | None) -> float:
    """A key between two neighbours' (either may be missing)."""
    if below is None:
        return 0.0 if above is None else above - 1.0
    return below + 1.0 if above is None else (below + above) / 2


@dataclass
class Order:
    rows: np.ndarray  # row numbers in list order
    major: np.ndarray  # each listed row's sort key (negated when descending), ascending
    minor: np.ndarray  # its id's key, ascending among equal sort keys
    numbering: tuple[object, object]  # of the sort column and the id column it was made from


@dataclass
class _Behind:
    """A kept answer (an order or a filter's rows) of an earlier copy, and the rows written since."""
    answer: Any
    written: np.ndarray


class Columns:
    """The rows' ids and chosen properties, read at one write count of the store; `patched` makes the
    copy of a later count from the rows a write changed."""

    def __init__(self, rows: list[dict[str, Any]], props: Sequence[str], generation: int):
        self.generation = generation
        self.ids = [r["id"] for r in rows]
        self.row_of = {i: n for n, i in enumerate(self.ids)}
        self.live = np.ones(len(self.ids), dtype=bool)  # a deleted row stays, marked dead
        self.id = Column.of(self.ids)
        self.columns = {p: Column.of([r[p] for r in rows]) for p in props}
        self._orders: dict[tuple[str, bool], Order | _Behind] = {}
        self._matched: dict[tuple[Any, ...], np.ndarray | _Behind] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return int(self.live.sum())

    def at(self, generation: int) -> "Columns":
        """The same rows at a later write count (the writes between changed none of them)."""
        later = shallow_copy(self)
        later.generation = generation
        return later

    def patched(self, changed: dict[str, dict[str, Any] | None], generation: int) -> "Columns":
        """The copy at `generation`: each changed id's row as now read, None for one that is gone."""
        new = [i for i, row in changed.items() if i not in self.row_of and row is not None]
        later = shallow_copy(self)
        later.generation, later._orders, later._matched, later._lock = generation, {}, {}, threading.Lock()
        if new:
            later.ids = self.ids + new
            later.row_of = {**self.row_of, **{i: len(self.ids) + n for n, i in enumerate(new)}}
        size = len(later.ids)
        later.live = np.ones(size, dtype=bool)
        later.live[:len(self.live)] = self.live
        later.live[[later.row_of[i] for i, row in changed.items() if row is None and i in later.row_of]] = False
        kept = [(later.row_of[i], row) for i, row in changed.items() if row is not None]
        rows = np.array([n for n, _ in kept], dtype=np.int64)
        later.live[rows] = True
        if new:
            later.id = self.id.patched(np.arange(len(self.ids), size, dtype=np.int64), new, size)
        later.columns = {p: c.patched(rows, [row[p] for _, row in kept], size) for p, c in self.columns.items()}
        touched = np.array(sorted({later.row_of[i] for i in changed if i in later.row_of}), dtype=np.int64)
        with self._lock:
            matched, orders = dict(self._matched), dict(self._orders)
        # The kept answers are brought up to date when next asked for, not here: a write is followed
        # by one patch per list request, and most requests ask for one order and one filter.
        for key, mask in matched.items():
            if (behind := _behind(mask, touched)) is not None:
                later._matched[key] = behind
        for (prop, desc), order in orders.items():
            numbering = (later.columns[prop].numbering, later.id.numbering)
            if (behind := _behind(order, touched)) is not None and _base(order).numbering == numbering:
                later._orders[(prop, desc)] = behind
        return later

    def _meets(self, key: tuple[Any, ...], rows: np.ndarray) -> np.ndarray:
        met = self.live[rows]
        for prop, op, value in key:
            met &= self.columns[prop].where(op, list(value) if isinstance(value, tuple) else value, rows)
        return met

    def _reordered(self, order: Order, prop: str, desc: bool, rows: np.ndarray) -> Order:
        """The order with the written rows taken out and put back where their new keys sort."""
        keep = ~np.isin(order.rows, rows)
        old_rows, old_major, old_minor = order.rows[keep], order.major[keep], order.minor[keep]
        codes = self.columns[prop].codes[rows]
        major, minor = (-codes if desc else codes), self.id.codes[rows]
        sorted_ = np.lexsort((minor, major))
        rows, major, minor = rows[sorted_], major[sorted_], minor[sorted_]
        at = np.empty(len(rows), dtype=np.int64)
        for n, (a, b) in enumerate(zip(major, minor)):
            lo = int(np.searchsorted(old_major, a, side="left"))
            hi = int(np.searchsorted(old_major, a, side="right"))
            at[n] = lo + int(np.searchsorted(old_minor[lo:hi], b, side="left"))
        return Order(np.insert(old_rows, at, rows), np.insert(old_major, at, major), np.insert(old_minor, at, minor),
                     order.numbering)

    def matching(self, terms: list[Term]) -> np.ndarray:
        """Which live rows meet every term; the last few filters' answers are kept (a copy never changes)."""
        key = tuple((t.prop, t.op, tuple(t.value) if isinstance(t.value, list) else t.value) for t in terms)
        with self._lock:
            kept = self._matched.get(key)
        mask = kept if isinstance(kept, np.ndarray) else None
        if isinstance(kept, _Behind):  # an earlier copy's answer: only the rows written since are asked again
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[:len(kept.answer)] = kept.answer
            mask[kept.written] = self._meets(key, kept.written)
            with self._lock:
                self._matched[key] = mask
        if mask is None:
            mask = self.live.copy()
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
        codes, counts = np.unique(column.codes[self.matching(terms)], return_counts=True)
        return {column.value(code): int(n) for code, n in zip(codes, counts)}

    def page(self, terms: list[Term], prop: str, desc: bool, *, skip: int = 0, limit: int,
             after: Cursor | None = None) -> list[dict[str, Any]]:
        """Rows {id, k} of the page in the engines' order (key, unset last ascending and first descending;
        ties by id): `skip` rows in, or the rows after the cursor."""
        order = self._order(prop, desc)
        start = 0
        if after is not None:
            major = self.columns[prop].place(after.key)
            major, minor = (-major if desc else major), self.id.place(after.id)
            lo = int(np.searchsorted(order.major, major, side="left"))
            hi = int(np.searchsorted(order.major, major, side="right"))
            start = lo + int(np.searchsorted(order.minor[lo:hi], minor, side="right"))
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
        return [{"id": self.ids[n], "k": column.value(column.codes[n])} for n in hits]

    def _order(self, prop: str, desc: bool) -> Order:
        with self._lock:
            found = self._orders.get((prop, desc))
            if isinstance(found, _Behind):  # an earlier copy's order: the rows written since are put back in place
                found = self._orders[(prop, desc)] = self._reordered(found.answer, prop, desc, found.written)
            if found is None:
                codes = self.columns[prop].codes
                major = -codes if desc else codes
                rows = np.lexsort((self.id.codes, major))
                found = self._orders[(prop, desc)] = Order(rows, major[rows], self.id.codes[rows],
                                                           (self.columns[prop].numbering, self.id.numbering))
            return found


def _base(kept: Any) -> Any:
    return kept.answer if isinstance(kept, _Behind) else kept


def _behind(kept: Any, written: np.ndarray) -> _Behind | None:
    """The kept answer with the rows written since, or None when so many were written that making the
    answer afresh costs less."""
    if isinstance(kept, _Behind):
        written = np.union1d(kept.written, written)
    return _Behind(_base(kept), written) if len(written) <= CARRIED_AT_MOST else None
