"""Who a token or a session belongs to, remembered for a few seconds.

Authenticating costs four store reads on every request (a third of a simple request's time on
the embedded engine), while users and tokens change rarely. Every change made through
crm/users.py forgets everything at once, so one process is never stale; other processes (several
web workers on Neo4j) see a role change, a disabled account or a revoked token within
TTL_SECONDS (docs/security.md).
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Hashable

from crm.access import Actor

TTL_SECONDS = 10.0


class RecentActors:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._ttl, self._clock = ttl, clock
        self._items: dict[Hashable, tuple[float, Actor | None]] = {}
        self._lock = threading.Lock()

    def get_or_load(self, key: Hashable, load: Callable[[], Actor | None]) -> Actor | None:
        now = self._clock()
        with self._lock:
            found = self._items.get(key)
        if found is not None and found[0] > now:
            return found[1]
        actor = load()
        with self._lock:
            if len(self._items) > 10_000:  # many distinct bad tokens must not grow it without bound
                self._items.clear()
            self._items[key] = (now + self._ttl, actor)
        return actor

    def forget(self) -> None:
        with self._lock:
            self._items.clear()


recent = RecentActors()


def keyed(store: Any, kind: str, value: str) -> tuple[int, str, str]:
    """A cache key that never mixes two stores open in one process (tests open many)."""
    return id(store), kind, value
