"""The store port: what crm/ and scoring/ may ask of a graph database.

Queries are Cypher texts in the subset both engines accept (docs/cypher.md); rows come back as
dicts of plain Python values. `transaction(work)` runs `work(tx)` atomically: all of it is
written or none of it; on Neo4j it may be retried, so `work` must not have outside effects.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Protocol, TypeVar

T = TypeVar("T")
Row = dict[str, Any]
Params = Mapping[str, Any] | None


Touches = Mapping[str, Iterable[str]] | None  # label -> ids of the nodes whose properties a statement changes


class Tx(Protocol):
    def run(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]:
        """`touches` names every node whose properties the statement creates, sets or deletes (an empty
        mapping: none, e.g. it only links two nodes). The embedded store journals it, so a cache of some
        label's nodes can follow a write (EmbeddedStore.changed); a writing statement that names nothing
        counts as changing anything."""


class GraphStore(Protocol):
    engine: str
    location: str
    writes: int  # committed write transactions, counted up after each commit
    journaled: bool  # `writes` and `changed(label, since)` count every write to the data, from any process

    def read(self, query: str, params: Params = None) -> list[Row]: ...

    def write(self, query: str, params: Params = None, touches: Touches = None) -> list[Row]: ...

    def transaction(self, work: Callable[[Tx], T]) -> T: ...

    def ensure_schema(self) -> list[str]: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...
