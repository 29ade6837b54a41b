"""Reference data every role reads: Chongqing's districts (with their history) and the chains.

Districts change (2025: 江北区 folded into 两江新区), so lists show today's divisions unless the
caller asks for history; an old one names its successor. Chains come with their links, the
FEEDS edges between them and how many firms, and how many local firms, make each link.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from crm.errors import NotFound
from crm.base.listing import Page, Where, read_page, search_text


@dataclass
class District:
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    current: bool = True
    successor_id: str | None = None
    successor_name_zh: str | None = None
    successor_name_en: str | None = None
    succeeded_on: date | None = None
    predecessor_ids: list[str] = field(default_factory=list)
    spans: list[str] = field(default_factory=list)
    focus_chain_ids: list[str] = field(default_factory=list)
    company_count: int = 0


@dataclass
class ChainLink:
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    segment: str | None = None
    position: int | None = None
    high_tech: bool = False
    in_focus: bool = False
    makers: int = 0
    local_makers: int = 0


@dataclass
class Feed:
    from_id: str
    to_id: str
    from_chain_id: str | None = None
    to_chain_id: str | None = None


@dataclass
class Chain:
    id: str
    name_zh: str | None = None
    name_en: str | None = None
    cluster_zh: str | None = None
    tier: str | None = None
    links: list[ChainLink] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)
    makers: int = 0
    local_makers: int = 0

    @property
    def link_count(self) -> int:
        return len(self.links)

    @property
    def covered_links(self) -> int:
        """Links some local firm makes: the chain map's measure of local coverage."""
        return sum(1 for link in self.links if link.local_makers)


_CURRENT = "(d.valid_from IS NULL OR d.valid_from <= $today) AND (d.valid_to IS NULL OR d.valid_to > $today)"


def _names(w: Where, var: str, q: str | None) -> None:
    text = search_text(q)
    if text:
        w.add(f"(toLower({var}.name_zh) CONTAINS $q OR toLower({var}.name_en) CONTAINS $q)", q=text)


def list_districts(store: Any, *, today: date, history: bool = False, q: str | None = None,
                   kind: str | None = None, page: int = 1, page_size: int = 100) -> Page[District]:
    """Today's divisions by code; with `history`, abolished ones too (with valid_to and successor)."""
    w = Where()
    if not history:
        w.add(_CURRENT, today=today)
    if kind:
        w.add("d.kind = $kind", kind=kind)
    _names(w, "d", q)
    total, rows = read_page(store, "MATCH (d:District) " + w.clause() + " RETURN count(d) AS n",
                            "MATCH (d:District) " + w.clause() +
                            " WITH d ORDER BY d.id SKIP $skip LIMIT $limit RETURN d AS district",
                            w.params, page=page, page_size=page_size)
    districts = [_district(r["district"], today) for r in rows]
    _attach_districts(store, districts)
    return Page(districts, total, page, page_size)


def get_district(store: Any, code: str, *, today: date) -> District:
    """Any division by its code, current or not: old records still point at old codes."""
    rows = store.read("MATCH (d:District {id: $id}) RETURN d AS district", {"id": code})
    if not rows:
        raise NotFound("District", code)
    district = _district(rows[0]["district"], today)
    _attach_districts(store, [district])
    return district


def _district(node: dict[str, Any], today: date) -> District:
    values: dict[str, Any] = {k: node.get(k) for k in ("id", "name_zh", "name_en", "kind", "lat", "lon", "valid_from",
                                                      "valid_to")}
    started = values["valid_from"] is None or values["valid_from"] <= today
    ended = values["valid_to"] is not None and values["valid_to"] <= today
    return District(**values, current=started and not ended)


def _attach_districts(store: Any, districts: list[District]) -> None:
    if not districts:
        return
    by_id = {d.id: d for d in districts}
    params = {"ids": list(by_id)}
    for row in store.read("UNWIND $ids AS did MATCH (d:District {id: did})-[r:SUCCEEDED_BY]->(s:District) "
                          "RETURN d.id AS id, s.id AS sid, s.name_zh AS zh, s.name_en AS en, "
                          "r.effective_on AS effective", params):
        d = by_id[row["id"]]
        d.successor_id, d.successor_name_zh, d.successor_name_en = row["sid"], row["zh"], row["en"]
        d.succeeded_on = row["effective"] or d.valid_to
    joins = (("(p:District)-[:SUCCEEDED_BY]->(d:District {id: did})", "p.id", "predecessor_ids"),
             ("(d:District {id: did})-[:SPANS]->(p:District)", "p.id", "spans"),
             ("(d:District {id: did})-[:FOCUSES_ON]->(p:Chain)", "p.id", "focus_chain_ids"))
    for pattern, value, attr in joins:
        for row in store.read(f"UNWIND $ids AS did MATCH {pattern} RETURN did AS id, {value} AS other "
                              "ORDER BY other", params):
            getattr(by_id[row["id"]], attr).append(row["other"])
    for row in store.read("UNWIND $ids AS did MATCH (d:District {id: did}) "
                          "RETURN d.id AS id, COUNT { MATCH (:Company)-[:PRESENT_IN]->(d) } AS n", params):
        by_id[row["id"]].company_count = row["n"]


def successions(reader: Any) -> list[tuple[str, str, date | None]]:
    """Every abolition: (old code, successor code, the day the successor took over; None if unknown)."""
    rows = reader.read("MATCH (a:District)-[r:SUCCEEDED_BY]->(b:District) "
                       "RETURN a.id AS a, b.id AS b, r.effective_on AS effective, a.valid_to AS ended")
    return [(r["a"], r["b"], r["effective"] or r["ended"]) for r in rows]


def successors_on(steps: list[tuple[str, str, date | None]], day: date | None = None) -> dict[str, str]:
    """Each division abolished by `day` (any time, without one), mapped to the one that holds its records
    that day: a record in 渝北区 counts for 两江新区 from November 2025 on, and for 渝北区 before.

    >>> steps = [("500112", "500157", date(2025, 11, 6))]
    >>> successors_on(steps, date(2023, 6, 1)), successors_on(steps, date(2026, 1, 1))
    ({}, {'500112': '500157'})
    """
    step = {a: b for a, b, on in steps if day is None or on is None or on <= day}
    out = {}
    for start in step:
        seen, code = {start}, step[start]
        while code in step and code not in seen:
            seen.add(code)
            code = step[code]
        out[start] = code
    return out


def list_chains(store: Any, *, q: str | None = None, page: int = 1, page_size: int = 100) -> Page[Chain]:
    """Chains with their links and coverage counts (FEEDS edges only on a single chain's page)."""
    w = Where()
    _names(w, "ch", q)
    total, rows = read_page(store, "MATCH (ch:Chain) " + w.clause() + " RETURN count(ch) AS n",
                            "MATCH (ch:Chain) " + w.clause() +
                            " WITH ch ORDER BY ch.id SKIP $skip LIMIT $limit RETURN ch AS chain",
                            w.params, page=page, page_size=page_size)
    chains = [_chain(r["chain"]) for r in rows]
    _attach_links(store, chains)
    return Page(chains, total, page, page_size)


def get_chain(store: Any, chain_id: str) -> Chain:
    rows = store.read("MATCH (ch:Chain {id: $id}) RETURN ch AS chain", {"id": chain_id})
    if not rows:
        raise NotFound("Chain", chain_id)
    chain = _chain(rows[0]["chain"])
    _attach_links(store, [chain])
    chain.feeds = [Feed(**r) for r in store.read(
        "MATCH (a:ChainNode)-[:FEEDS]->(b:ChainNode) WHERE a.chain_id = $id OR b.chain_id = $id "
        "RETURN a.id AS from_id, b.id AS to_id, a.chain_id AS from_chain_id, b.chain_id AS to_chain_id "
        "ORDER BY from_id, to_id", {"id": chain_id})]
    return chain


def _chain(node: dict[str, Any]) -> Chain:
    values: dict[str, Any] = {k: node.get(k) for k in ("id", "name_zh", "name_en", "cluster_zh", "tier")}
    return Chain(**values)


def _attach_links(store: Any, chains: list[Chain]) -> None:
    """One row per (link, maker): counted here, since archived makers and locality both matter."""
    if not chains:
        return
    by_id = {c.id: c for c in chains}
    rows = store.read(
        "UNWIND $ids AS cid MATCH (n:ChainNode) WHERE n.chain_id = cid "
        "OPTIONAL MATCH (c:Company)-[:MAKES]->(n) WHERE coalesce(c.archived, false) = false "
        "OPTIONAL MATCH (c)-[:PRESENT_IN]->(d:District) "
        "RETURN n AS link, c.id AS company, count(d) AS presences", {"ids": list(by_id)})
    links: dict[str, ChainLink] = {}
    makers: dict[str, set[str]] = {cid: set() for cid in by_id}
    local: dict[str, set[str]] = {cid: set() for cid in by_id}
    for row in rows:
        node = row["link"]
        link = links.get(node["id"])
        if link is None:
            link = links[node["id"]] = ChainLink(
                **{k: node.get(k) for k in ("id", "name_zh", "name_en", "segment", "position")},
                high_tech=bool(node.get("high_tech")), in_focus=bool(node.get("in_focus")))
            by_id[node["chain_id"]].links.append(link)
        if row["company"] is None:
            continue
        link.makers += 1
        makers[node["chain_id"]].add(row["company"])
        if row["presences"]:
            link.local_makers += 1
            local[node["chain_id"]].add(row["company"])
    for chain in chains:
        chain.links.sort(key=lambda link: (link.position if link.position is not None else 10**6, link.id))
        chain.makers, chain.local_makers = len(makers[chain.id]), len(local[chain.id])


INDUSTRIES = Path(__file__).resolve().parents[2] / "seeds" / "industries.csv"


@cache
def industry_names() -> dict[str, str]:
    """The Chinese name of each industry the library writes in English (seeds/industries.csv), read once."""
    with INDUSTRIES.open(encoding="utf-8", newline="") as fh:
        return {row["industry_en"]: row["industry_zh"] for row in csv.DictReader(fh)}


def industry_label(value: str | None, locale: str) -> str | None:
    """An industry in the reader's language; one the table does not know (an import's) shows as written."""
    if not value or locale.startswith("en"):
        return value
    return industry_names().get(value, value)
