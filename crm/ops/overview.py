"""What the store holds, for the administrator's home page: records per kind, and a ping.

One small count per label; the page shows the engine and whether it answers, so an admin sees
at a glance that the database is there and filled.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.errors import StoreError

COUNTED = ("Company", "Chain", "ChainNode", "District", "Lead", "Project", "CapitalInflow", "FollowUp", "Event",
           "Task", "Issue", "Note", "User")


@dataclass
class StoreStatus:
    engine: str
    reachable: bool
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def store_status(store: Any) -> StoreStatus:
    """The engine, whether it answers, and how many records of each kind it holds."""
    try:
        store.ping()
        rows = store.read(" UNION ALL ".join(f"MATCH (n:{label}) RETURN '{label}' AS label, count(n) AS n"
                                             for label in COUNTED))
    except StoreError as exc:
        return StoreStatus(getattr(store, "engine", "?"), False, str(exc))
    counts = dict.fromkeys(COUNTED, 0) | {r["label"]: r["n"] for r in rows}
    return StoreStatus(getattr(store, "engine", "?"), True, counts=counts)
