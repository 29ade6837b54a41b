"""Small pieces every report section shares: a figure with its comparison, names, JSON values."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from crm.base.clock import local


def pair(value: Any, previous: Any) -> dict[str, Any]:
    """A figure and what it is compared with (last week, or the same period last year)."""
    return {"value": value, "previous": previous}


def named(rows: Iterable[dict[str, Any]], key: str = "id") -> dict[Any, dict[str, Any]]:
    return {r[key]: r for r in rows}


def names(found: dict[str, Any] | None, fallback: str | None) -> dict[str, Any]:
    """name_zh/name_en of a looked-up row, falling back to the id so no row is nameless."""
    found = found or {}
    return {"name_zh": found.get("name_zh") or fallback, "name_en": found.get("name_en") or fallback}


def local_day(moment: datetime | None) -> date | None:
    return None if moment is None else local(moment).date()


def jsonable(value: Any) -> Any:
    """Dates as ISO text, Decimals as numbers, tuples as lists: what json.dumps and the API take."""
    if isinstance(value, dict):
        return {str(k) if k is not None else "": jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def ratio(part: float | int | None, whole: float | int | None, places: int = 4) -> float | None:
    return None if not whole or part is None else round(part / whole, places)
