"""Normalise values crossing the store boundary so both engines look alike to callers.

In: aware datetimes become naive UTC (Ladybug drops offsets silently, so we never hand it one).
Out: naive datetimes come back as aware UTC; driver types become plain Python values;
nodes and relationships become plain dicts of their properties.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from graph.schema import SCHEMA


def to_store(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None)
    if isinstance(value, dict):
        return {k: to_store(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_store(v) for v in value]
    return value


# Values that pass as they are, checked by exact type first: a scoring read brings 10^5–10^6 of them.
_PLAIN = frozenset({type(None), str, bool, int, float})


def from_store(value: Any) -> Any:
    """Turn an engine's result value into plain Python (aware UTC datetimes, dicts, lists)."""
    if type(value) in _PLAIN or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    if isinstance(value, date):
        return value
    if isinstance(value, Decimal):  # Ladybug sums INT64 into a 128-bit integer that arrives as Decimal
        return int(value) if value == value.to_integral_value() else float(value)
    to_native = getattr(value, "to_native", None)
    if to_native is not None:  # neo4j.time.Date / DateTime / Time
        return from_store(to_native())
    if isinstance(value, dict):
        return {k: from_store(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, (list, tuple)):
        if _PLAIN.issuperset(map(type, value)):
            return list(value)
        return [from_store(v) for v in value]
    items = getattr(value, "items", None)
    if items is not None:  # neo4j.graph.Node / Relationship
        out = {k: from_store(v) for k, v in items()}
        labels = getattr(value, "labels", None)
        declared = SCHEMA.nodes.get(next(iter(labels))) if labels else None
        if declared is not None:  # Neo4j omits unset properties; Ladybug returns them as null
            out = {name: out.get(name) for name in declared.names} | out
        return out
    return value


def row_from_store(keys: list[str], values: list[Any] | tuple[Any, ...]) -> dict[str, Any]:
    return {k: v if type(v) in _PLAIN else from_store(v) for k, v in zip(keys, values)}
