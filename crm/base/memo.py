"""What the store said a moment ago: who a token belongs to, and the names a lead shows.

Authenticating costs four store reads on every request, and showing a lead four more for the
names of its company, link, district and owner (on the embedded engine each read is a few
tenths of a millisecond: together most of a simple request's time), while users, tokens and
those names change rarely. A change made in this process forgets everything it may affect once
it is committed, so one process is never stale; other processes (several web workers on Neo4j)
see a role change, a revoked token or a renamed company within TTL_SECONDS (docs/security.md).
"""
from __future__ import annotations

import itertools
import threading
import time
import weakref
from typing import Any, Callable, Generic, Hashable, TypeVar

from crm.base.access import Actor

TTL_SECONDS = 10.0
MAX_ITEMS = 10_000  # many distinct bad tokens must not grow a cache without bound

V = TypeVar("V")


class Recent(Generic[V]):
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._ttl, self._clock = ttl, clock
        self._items: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        self._generation = 0

    def get_or_load(self, key: Hashable, load: Callable[[], V]) -> V:
        return self.get_many([key], lambda keys: {key: load()})[key]

    def get_many(self, keys: list[Hashable], load: Callable[[list[Hashable]], dict[Hashable, V]]) -> dict[Hashable, V]:
        """The values of these keys; those not remembered come from one call of load(missing keys).

        A key load() does not answer (a record that is not there) is not remembered.
        """
        now = self._clock()
        found: dict[Hashable, V] = {}
        with self._lock:
            generation = self._generation
            for key in keys:
                hit = self._items.get(key)
                if hit is not None and hit[0] > now:
                    found[key] = hit[1]
        missing = [k for k in keys if k not in found]
        if missing:
            loaded = load(missing)
            found.update(loaded)
            with self._lock:
                if generation == self._generation:  # a change committed meanwhile may make it stale
                    if len(self._items) + len(loaded) > MAX_ITEMS:
                        self._items.clear()
                    self._items.update((k, (now + self._ttl, v)) for k, v in loaded.items())
        return found

    def forget(self) -> None:
        with self._lock:
            self._items.clear()
            self._generation += 1


actors: Recent[Actor | None] = Recent()
names: Recent[dict[str, Any]] = Recent()
counts: Recent[int] = Recent()  # list totals, keyed with the store's write count (crm/base/listing.py)


def forget_all() -> None:
    """After a committed change to users, tokens, companies or the chain and district data."""
    actors.forget()
    names.forget()


_serials: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_next_serial = itertools.count()
_serials_lock = threading.Lock()


def keyed(store: Any, *parts: Hashable) -> tuple[Hashable, ...]:
    """A cache key that never mixes two stores of one process (tests open many, and id() is reused)."""
    with _serials_lock:
        serial = _serials.get(store)
        if serial is None:
            serial = _serials[store] = next(_next_serial)
    return (serial, *parts)
