"""Companies: the enterprise library (企业库) of firms anywhere in the world.

A company is local when it is PRESENT_IN a Chongqing district. Everyone who logs in may read
the library; staff and admins keep it (see crm/library/company_edits.py). A list page is fetched first
and its links, presence and parents joined after, so paging never multiplies rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crm.errors import NotFound
from crm.library.imports.names import normalise_name
from crm.base.listing import Page, Where, order_by, read_page, search_text
from graph.cypher import read_with

FIELDS = ("name_zh", "name_en", "aliases", "country", "fg500_rank", "fg500_year", "industry", "multinational",
          "leading", "revenue_usd_m", "employees", "source")
PROVENANCE = ("source_date", "fg500_source")  # written by imports, read by the pages

SORTS = {
    "name_zh": "c.name_zh", "name_en": "c.name_en", "country": "c.country", "fg500_rank": "c.fg500_rank",
    "revenue_usd_m": "c.revenue_usd_m", "employees": "c.employees", "created_at": "c.created_at",
    "updated_at": "c.updated_at",
}


@dataclass
class LinkRef:
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    chain_id: str | None = None
    source: str | None = None
    sources: list[str] = field(default_factory=list)
    source_date: date | None = None


@dataclass
class Presence:
    district_id: str
    name_zh: str | None = None
    name_en: str | None = None
    since: date | None = None
    entity_name: str | None = None
    source: str | None = None
    sources: list[str] = field(default_factory=list)
    source_date: date | None = None


@dataclass
class CompanyRef:
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    local: bool = False


@dataclass
class Company:
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    name_norm: str | None = None
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    fg500_rank: int | None = None
    fg500_year: int | None = None
    industry: str | None = None
    multinational: bool = False
    leading: bool = False
    revenue_usd_m: float | None = None
    employees: int | None = None
    source: str | None = None
    source_date: date | None = None
    fg500_source: str | None = None
    links: list[LinkRef] = field(default_factory=list)
    presence: list[Presence] = field(default_factory=list)
    parent_ids: list[str] = field(default_factory=list)
    suppliers: list[CompanyRef] = field(default_factory=list)
    customers: list[CompanyRef] = field(default_factory=list)
    subsidiaries: list[CompanyRef] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @property
    def local(self) -> bool:
        return bool(self.presence)

    @property
    def link_ids(self) -> list[str]:
        return [link.id for link in self.links]

    @property
    def district_ids(self) -> list[str]:
        return [p.district_id for p in self.presence]

    @property
    def chain_ids(self) -> list[str]:
        return sorted({link.chain_id for link in self.links if link.chain_id})

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> "Company":
        """Seed rows may leave flags and versions unset; they read as false and 1."""
        values: dict[str, Any] = {k: node.get(k) for k in FIELDS + PROVENANCE + ("id", "name_norm", "created_at",
                                                                                    "updated_at")}
        values["aliases"] = list(node.get("aliases") or [])
        for flag in ("multinational", "leading", "archived", "synthetic"):
            values[flag] = bool(node.get(flag))
        values["version"] = node.get("version") or 1
        return cls(**values)


@dataclass
class CompanyQuery:
    q: str | None = None
    country: str | None = None
    fg500: bool | None = None
    multinational: bool | None = None
    local: bool | None = None
    district: str | None = None
    chain: str | None = None
    link: str | None = None
    archived: bool = False
    sort: str = "name_zh"
    page: int = 1
    page_size: int = 50


def _where(query: CompanyQuery) -> tuple[str, Where]:
    """The list's head and WHERE; a search binds $q to a variable first, as Ladybug needs inside any()."""
    w = Where()
    w.add("coalesce(c.archived, false) = $archived", archived=query.archived)
    if query.country:
        w.add("c.country = $country", country=query.country.upper())
    if query.fg500 is not None:
        w.add("c.fg500_rank IS NOT NULL" if query.fg500 else "c.fg500_rank IS NULL")
    if query.multinational is not None:
        w.add("coalesce(c.multinational, false) = $multinational", multinational=query.multinational)
    if query.local is not None:
        present = "EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) }"
        w.add(present if query.local else "NOT " + present)
    if query.district:
        w.add("EXISTS { MATCH (c)-[:PRESENT_IN]->(:District {id: $district}) }", district=query.district)
    if query.chain:
        w.add("EXISTS { MATCH (c)-[:MAKES]->(n:ChainNode) WHERE n.chain_id = $chain }", chain=query.chain)
    if query.link:
        w.add("EXISTS { MATCH (c)-[:MAKES]->(:ChainNode {id: $link}) }", link=query.link)
    text = search_text(query.q)
    if not text:
        return "MATCH (c:Company) ", w
    norm = normalise_name(text)
    by_norm = " OR c.name_norm CONTAINS $qn" if norm else ""
    w.add("(toLower(c.name_zh) CONTAINS q OR toLower(c.name_en) CONTAINS q" + by_norm +
          " OR any(a IN c.aliases WHERE toLower(a) CONTAINS q))", q=text, qn=norm)
    return "WITH $q AS q MATCH (c:Company) ", w


def list_companies(store: Any, query: CompanyQuery) -> Page[Company]:
    head, where = _where(query)
    order = order_by(query.sort, SORTS, "c.id")
    total, rows = read_page(store, head + where.clause() + " RETURN count(c) AS n",
                            head + where.clause() + f" WITH c {order} SKIP $skip LIMIT $limit RETURN c AS company",
                            where.params, page=query.page, page_size=query.page_size)
    companies = [Company.from_node(r["company"]) for r in rows]
    attach(store, companies)
    return Page(companies, total, query.page, query.page_size)


def attach(reader: Any, companies: list[Company]) -> None:
    """Join the links each company makes, where it is present and its parents, for a page at once."""
    if not companies:
        return
    run = read_with(reader)
    by_id = {c.id: c for c in companies}
    ids = list(by_id)
    for row in run("UNWIND $ids AS cid MATCH (c:Company {id: cid})-[m:MAKES]->(n:ChainNode) "
                   "RETURN c.id AS company, n.id AS id, n.name_zh AS name_zh, n.name_en AS name_en, "
                   "n.chain_id AS chain_id, m.source AS source, m.sources AS sources, m.source_date AS source_date "
                   "ORDER BY n.id", {"ids": ids}):
        by_id[row.pop("company")].links.append(LinkRef(**cited(row)))
    for row in run("UNWIND $ids AS cid MATCH (c:Company {id: cid})-[r:PRESENT_IN]->(d:District) "
                   "RETURN c.id AS company, d.id AS district_id, d.name_zh AS name_zh, d.name_en AS name_en, "
                   "r.since AS since, r.entity_name AS entity_name, r.source AS source, r.sources AS sources, "
                   "r.source_date AS source_date ORDER BY d.id", {"ids": ids}):
        by_id[row.pop("company")].presence.append(Presence(**cited(row)))
    for row in run("UNWIND $ids AS cid MATCH (c:Company {id: cid})-[:SUBSIDIARY_OF]->(p:Company) "
                   "RETURN c.id AS company, p.id AS parent ORDER BY p.id", {"ids": ids}):
        by_id[row["company"]].parent_ids.append(row["parent"])


def cited(row: dict[str, Any]) -> dict[str, Any]:
    """Every citation of a fact: `sources` when an import kept them, else the one `source` written before."""
    row["sources"] = list(row.get("sources") or ([row["source"]] if row.get("source") else []))
    return row


def _neighbours(reader: Any, pattern: str, company_id: str) -> list[CompanyRef]:
    run = read_with(reader)
    rows = run(f"MATCH {pattern} RETURN o.id AS id, o.name_zh AS name_zh, o.name_en AS name_en, "
               "COUNT { MATCH (o)-[:PRESENT_IN]->(:District) } AS presences ORDER BY o.id", {"id": company_id})
    return [CompanyRef(r["id"], r["name_zh"], r["name_en"], r["presences"] > 0) for r in rows]


def fetch(reader: Any, company_id: str) -> Company:
    """One company with everything the detail view shows: links, presence, trade partners, family."""
    run = read_with(reader)
    rows = run("MATCH (c:Company {id: $id}) RETURN c AS company", {"id": company_id})
    if not rows:
        raise NotFound("Company", company_id)
    company = Company.from_node(rows[0]["company"])
    attach(reader, [company])
    company.suppliers = _neighbours(reader, "(o:Company)-[:SUPPLIES]->(:Company {id: $id})", company_id)
    company.customers = _neighbours(reader, "(:Company {id: $id})-[:SUPPLIES]->(o:Company)", company_id)
    company.subsidiaries = _neighbours(reader, "(o:Company)-[:SUBSIDIARY_OF]->(:Company {id: $id})", company_id)
    return company


def local_count(store: Any) -> int:
    """How many firms the library knows to be in Chongqing: every gap is read against these alone."""
    return store.read("MATCH (c:Company) WHERE EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } "
                      "RETURN count(c) AS n")[0]["n"]


def get_company(store: Any, company_id: str) -> Company:
    """Every role reads the whole library: it is reference material, not a promotion record."""
    return fetch(store, company_id)
