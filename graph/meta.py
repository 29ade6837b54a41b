"""The schema version kept in the graph, so an app never runs on a store it does not understand."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from graph.schema import SCHEMA_VERSION

META_ID = "schema"


def stored_version(store: Any) -> int | None:
    rows = store.read("MATCH (m:Meta) WHERE m.id = $id RETURN m.schema_version AS v", {"id": META_ID})
    return rows[0]["v"] if rows else None


def stamp_version(store: Any, *, now: datetime, version: int = SCHEMA_VERSION) -> None:
    store.write("MERGE (m:Meta {id: $id}) SET m.schema_version = $v, m.updated_at = $now",
                {"id": META_ID, "v": version, "now": now})


def initialise(store: Any, *, now: datetime) -> list[str]:
    """Create the schema (idempotent) and stamp a fresh store with the current version."""
    done = store.ensure_schema()
    if stored_version(store) is None:
        stamp_version(store, now=now)
    return done
