"""The data steward's list: the library's facts (presences, links made, Fortune Global 500 ranks) that most
need a look — the oldest, the unsourced and undated, and the flagged (a citation that says estimated, an
unknown country, an unknown rank) — each with where it comes from and how old it is.

One kind of fact per list, filtered and paged in the query, so the list stays one read at any library size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm.base.access import Actor, require
from crm.base.listing import Page, Where, read_page, search_text
from crm.errors import ValidationFailed
from crm.library.companies import cited

KINDS = ("presence", "makes", "rank")
FLAGS = ("all", "oldest", "unsourced", "undated", "estimated", "unknown_country", "unknown_rank")
# Words in a citation that say the figure was not read in a source but worked out or assumed.
ESTIMATE_MARKERS = ("estimat", "approximat", "assumed", "guess", "估计", "估算", "推测")

_FACTS = {
    # kind: (pattern, target columns, first citation, every citation, its date)
    "presence": ("MATCH (c:Company)-[r:PRESENT_IN]->(t:District) ",
                 "t.id AS target_id, t.name_zh AS target_zh, t.name_en AS target_en",
                 "r.source", "r.sources", "r.source_date"),
    "makes": ("MATCH (c:Company)-[r:MAKES]->(t:ChainNode) ",
              "t.id AS target_id, t.name_zh AS target_zh, t.name_en AS target_en",
              "r.source", "r.sources", "r.source_date"),
    "rank": ("MATCH (c:Company) ", "NULL AS target_id, NULL AS target_zh, NULL AS target_en",
             "c.fg500_source", "NULL", "c.fg500_year"),  # a rank is dated by its list's year
}


@dataclass
class FactQuery:
    kind: str = "presence"
    flag: str = "all"
    q: str | None = None
    page: int = 1
    page_size: int = 50


@dataclass
class Fact:
    kind: str
    company_id: str
    company_name_zh: str | None
    company_name_en: str | None
    country: str | None
    target_id: str | None = None
    target_name_zh: str | None = None
    target_name_en: str | None = None
    sources: list[str] = field(default_factory=list)
    source_date: date | None = None
    fg500_rank: int | None = None
    fg500_year: int | None = None
    flags: list[str] = field(default_factory=list)


def may_steward(actor: Actor) -> bool:
    """Those who keep the library (staff and admins, as for company edits) look after its sources."""
    return actor.role in ("admin", "staff")


def _where(query: FactQuery) -> Where:
    _, _, source, _, day = _FACTS[query.kind]
    w = Where()
    w.add("coalesce(c.archived, false) = false")
    if query.kind == "rank":
        w.add("(c.fg500_rank IS NOT NULL OR c.fg500_unknown = true)")
    estimated = "(" + " OR ".join(f"toLower({source}) CONTAINS $m{i}" for i in range(len(ESTIMATE_MARKERS))) + ")"
    conditions = {
        "oldest": f"{day} IS NOT NULL",
        "unsourced": f"{source} IS NULL" + (" AND c.fg500_rank IS NOT NULL" if query.kind == "rank" else ""),
        "undated": f"{day} IS NULL" + (" AND c.fg500_rank IS NOT NULL" if query.kind == "rank" else ""),
        "estimated": estimated,
        "unknown_country": "c.country IS NULL",
        "unknown_rank": "c.fg500_unknown = true",
    }
    if query.flag in conditions:
        w.add(conditions[query.flag], **({f"m{i}": m for i, m in enumerate(ESTIMATE_MARKERS)}
                                         if query.flag == "estimated" else {}))
    text = search_text(query.q)
    if text:
        w.add("(toLower(c.name_zh) CONTAINS $q OR toLower(c.name_en) CONTAINS $q OR c.id = $q)", q=text)
    return w


def _check(query: FactQuery) -> None:
    errors = {}
    if query.kind not in KINDS:
        errors["kind"] = [f"must be one of {', '.join(KINDS)}"]
    if query.flag not in FLAGS:
        errors["flag"] = [f"must be one of {', '.join(FLAGS)}"]
    if errors:
        raise ValidationFailed(errors)


def list_facts(store: Any, query: FactQuery, *, actor: Actor) -> Page[Fact]:
    """A page of facts of one kind, undated first and then the oldest (a rank by its list's year)."""
    require(may_steward(actor), "review the library's sources")
    _check(query)
    pattern, target, source, sources, day = _FACTS[query.kind]
    where = _where(query)
    head = pattern + where.clause()
    total, rows = read_page(
        store, head + " RETURN count(*) AS n",
        head + f" RETURN c.id AS company_id, c.name_zh AS company_zh, c.name_en AS company_en, c.country AS country, "
        f"{target}, {source} AS source, {sources} AS sources, {day} AS day, c.fg500_rank AS rank, "
        f"c.fg500_year AS year, c.fg500_unknown AS rank_unknown, "
        f"CASE WHEN {day} IS NULL THEN 0 ELSE 1 END AS dated "
        f"ORDER BY dated, day, company_id, target_id SKIP $skip LIMIT $limit",
        where.params, page=query.page, page_size=query.page_size)
    return Page([_fact(query.kind, r) for r in rows], total, query.page, query.page_size)


def _fact(kind: str, r: dict[str, Any]) -> Fact:
    found = cited(r)["sources"]
    fact = Fact(kind, r["company_id"], r["company_zh"], r["company_en"], r["country"], r["target_id"],
                r["target_zh"], r["target_en"], found, r["day"] if kind != "rank" else None,
                r["rank"], r["year"])
    text = " ".join(found).lower()
    fact.flags = [flag for flag, on in (
        ("unsourced", not found and (kind != "rank" or r["rank"] is not None)),
        ("undated", r["day"] is None and (kind != "rank" or r["rank"] is not None)),
        ("estimated", any(m in text for m in ESTIMATE_MARKERS)),
        ("unknown_country", r["country"] is None),
        ("unknown_rank", bool(r["rank_unknown"]))) if on]
    return fact
