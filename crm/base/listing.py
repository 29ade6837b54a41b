"""List queries: one parsed query object behind both the API list and the page list.

Filters become a WHERE built from fixed fragments with parameters; sort keys come from a
whitelist; paging is SKIP/LIMIT after filtering, or a keyset cursor (crm/base/keyset.py) where a
list offers one, and the joins only the page needs come last. Totals are remembered for a few
seconds per query and parameters (the actor's scope is among them) until this process writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from crm.base import memo
from crm.errors import ValidationFailed

T = TypeVar("T")

MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # SKIP must fit the engines' 64-bit integers (Ladybug crashed on page 2**64)


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int
    next_after: str | None = None  # the cursor of the page after this one, when there may be one

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class Where:
    """WHERE fragments and their parameters, joined with AND."""
    parts: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def add(self, fragment: str, **params: Any) -> None:
        if fragment:
            self.parts.append(fragment)
            self.params.update(params)

    def clause(self) -> str:
        return "WHERE " + " AND ".join(self.parts) if self.parts else ""


@dataclass(frozen=True)
class Term:
    """One condition on a property of the listed node, kept as data so that the engine (as Cypher) and
    the in-process copy of a list's columns (crm/base/columns.py) read the same filter."""
    prop: str
    op: str  # one of OPS
    value: Any = None


OPS = ("=", "IN", "IS NULL", "IS NOT NULL", "CONTAINS")


def where_of(var: str, terms: list[Term]) -> Where:
    """The terms as a WHERE on `var`, each value a parameter."""
    w = Where()
    for n, term in enumerate(terms):
        if term.op not in OPS:
            raise ValueError(f"unknown operator {term.op!r}")
        if term.op in ("IS NULL", "IS NOT NULL"):
            w.add(f"{var}.{term.prop} {term.op}")
        else:
            w.add(f"{var}.{term.prop} {term.op} $t{n}", **{f"t{n}": term.value})
    return w


def paging(page: int, page_size: int) -> tuple[int, int]:
    errors = {}
    if not 1 <= page <= MAX_PAGE:
        errors["page"] = [f"must be between 1 and {MAX_PAGE}"]
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [f"must be between 1 and {MAX_PAGE_SIZE}"]
    if errors:
        raise ValidationFailed(errors)
    return (page - 1) * page_size, page_size


def read_page(reader: Any, count_query: str, page_query: str, params: dict[str, Any], *, page: int,
              page_size: int) -> tuple[int, list[dict[str, Any]]]:
    """The total (the count query's one value) and one page of rows (`page_query` takes $skip, $limit).

    A page that starts past the end is answered without running the sorted query: Ladybug 0.22
    crashes the whole process on ORDER BY … SKIP far beyond the last row.
    """
    skip, limit = paging(page, page_size)
    total = count(reader, count_query, params)
    if skip >= total:
        return total, []
    return total, reader.read(page_query, {**params, "skip": skip, "limit": limit})


def count(reader: Any, query: str, params: dict[str, Any]) -> int:
    """The count query's one value, remembered until this process writes or TTL_SECONDS pass.

    A store without a write counter (a transaction) is asked every time.
    """
    def load() -> int:
        counted = reader.read(query, params)
        return int(next(iter(counted[0].values()))) if counted else 0

    writes = getattr(reader, "writes", None)
    if writes is None:
        return load()
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return memo.counts.get_or_load(memo.keyed(reader, writes, query, frozen), load)


def order_by(sort: str, allowed: dict[str, str], tiebreak: str) -> str:
    """`-expected_usd` → `ORDER BY <expr> DESC, <tiebreak>`; unknown keys are refused."""
    desc = sort.startswith("-")
    key = sort.lstrip("-+")
    if key not in allowed:
        raise ValidationFailed({"sort": [f"unknown sort key {key!r}; use one of {', '.join(sorted(allowed))}"]})
    return f"ORDER BY {allowed[key]}{' DESC' if desc else ''}, {tiebreak}"


def search_text(q: str | None) -> str | None:
    text = (q or "").strip().lower()
    return text or None
