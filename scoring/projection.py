"""Read what scoring needs from the store, aggregated in Cypher, into networkx and plain data.

The chain graph is one query; the candidate pool a handful of aggregated ones. Never one query
per link or per company: at 300k MAKES the per-row cost of crossing the store boundary is what
dominates.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Mapping

import networkx as nx

from crm.base.clock import local_today, utcnow
from crm.base.workdays import at_local
from crm.errors import ValidationFailed
from scoring.collector import collector_paused

# What holds on day $as_of, written once here for every reading (today's analysis is the analysis as of
# today). A fact without `since` held before records began. A presence holds from its `since`; one that
# ended was moved to WAS_PRESENT_IN (crm/library/presence.py) and held until the day before its `until`.
# MAKES holds from its `since`.


def present(company: str, day: str = "$as_of", district: str = ":District") -> str:
    """The condition that `company` is present on `day` in a district (or in the one bound to `district`):
    local that day."""
    p, w = f"{company}_in", f"{company}_was"
    return (f"(EXISTS {{ MATCH ({company})-[{p}:PRESENT_IN]->({district}) "
            f"WHERE {p}.since IS NULL OR {p}.since <= {day} }} "
            f"OR EXISTS {{ MATCH ({company})-[{w}:WAS_PRESENT_IN]->({district}) "
            f"WHERE ({w}.since IS NULL OR {w}.since <= {day}) AND {w}.until > {day} }})")


def made(rel: str, day: str = "$as_of") -> str:
    """The condition that MAKES relationship `rel` holds on `day`."""
    return f"({rel}.since IS NULL OR {rel}.since <= {day})"


_FRAGMENTS = {"made": made("mk"), "made_m": made("mm"), "made_s": made("sm"), "made_o": made("om"),
              "made_b": made("bm"),
              "local": present("c"), "local_s": present("s"), "local_o": present("o"), "local_x": present("x"),
              "local_here": present("c", district="d"), "local_b_here": present("b", district="d")}

_LINKS = """
MATCH (l:ChainNode) {scope}
OPTIONAL MATCH (c:Company)-[mk:MAKES]->(l) WHERE {made} AND {local}
OPTIONAL MATCH (c)-[:SUBSIDIARY_OF]->(p:Company)
WITH l, c, max(CASE WHEN c.leading = true OR p.leading = true THEN 1 ELSE 0 END) AS leading,
     max(CASE WHEN c.multinational = true OR p.multinational = true THEN 1 ELSE 0 END) AS multinational,
     min(CASE WHEN c.fg500_rank IS NULL THEN p.fg500_rank ELSE c.fg500_rank END) AS fg500_rank
WITH l, count(c) AS local_makers, sum(leading) AS local_leading, sum(multinational) AS local_multinational,
     count(fg500_rank) AS local_fg500, min(fg500_rank) AS best_fg500_rank
OPTIONAL MATCH (l)-[:FEEDS]->(d:ChainNode)
WITH l, local_makers, local_leading, local_multinational, local_fg500, best_fg500_rank,
     collect(d.id) AS downstream
OPTIONAL MATCH (ch:Chain {{id: l.chain_id}})
RETURN l.id AS id, l.chain_id AS chain_id, l.name_zh AS name_zh, l.name_en AS name_en,
       l.segment AS segment, l.position AS position, l.high_tech AS high_tech, l.in_focus AS in_focus,
       ch.tier AS tier, ch.name_zh AS chain_name_zh, ch.name_en AS chain_name_en,
       COUNT {{ MATCH (m:Company)-[mm:MAKES]->(l) WHERE {made_m} }} AS makers,
       local_makers, local_leading, local_multinational, local_fg500, best_fg500_rank, downstream
"""
# Local makers by district on $as_of: the firms present that day, where, and the links they make. A link's
# local buyers are the local makers of the links it FEEDS (they consume its output), found from the
# projected FEEDS edges: the supply–demand signal.
_LOCAL_BY_DISTRICT = """
MATCH (b:Company)-[:PRESENT_IN|WAS_PRESENT_IN]->(d:District) WHERE {local_b_here}
MATCH (b)-[bm:MAKES]->(n:ChainNode) WHERE {scope} {made_b}
RETURN n.id AS link, d.id AS district, collect(DISTINCT b.id) AS makers
"""

_CHAIN_AND_NEIGHBOURS = ("WHERE l.chain_id = $chain "
                         "OR EXISTS { MATCH (l)-[:FEEDS]-(n:ChainNode) WHERE n.chain_id = $chain }")

_MAKERS = """
MATCH (c:Company)-[mk:MAKES]->(l:ChainNode)
WHERE {scope} {made} AND NOT {local}
  AND NOT EXISTS {{ MATCH (l)<-[sm:MAKES]-(s:Company)-[:SUBSIDIARY_OF]->(c) WHERE {made_s} AND {local_s} }}
RETURN l.id AS link, collect(c.id) AS companies
"""

_COMPANIES = """
MATCH (c:Company)
WHERE NOT {local} AND EXISTS {{ MATCH (c)-[mk:MAKES]->(l:ChainNode) WHERE {scope} {made} }}
RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en, c.country AS country,
       c.fg500_rank AS fg500_rank, c.fg500_unknown AS fg500_unknown, c.multinational AS multinational,
       c.leading AS leading,
       c.revenue_usd_m AS revenue_usd_m
"""

_LOCAL_CUSTOMERS = """
MATCH (c:Company)-[:SUPPLIES]->(x:Company)
WHERE NOT {local} AND {local_x}
RETURN c.id AS id, count(DISTINCT x) AS n
"""

_UNCOVERED_MADE = """
MATCH (c:Company)-[mk:MAKES]->(l:ChainNode)
WHERE {made} AND NOT EXISTS {{ MATCH (o:Company)-[om:MAKES]->(l) WHERE {made_o} AND {local_o} }}
RETURN c.id AS id, count(DISTINCT l) AS n
"""

# The links that have a local maker on $as_of: a flat filter over MAKES, several times cheaper than the
# NOT EXISTS per MAKES row above.
_COVERED = """
MATCH (o:Company)-[om:MAKES]->(l:ChainNode) WHERE {made_o} AND {local_o}
RETURN DISTINCT l.id AS link
"""

_LEADS = """
MATCH (le:Lead)-[:TARGETS]->(c:Company)
MATCH (le)-[:FILLS]->(l:ChainNode)
WHERE {scope} (le.archived IS NULL OR le.archived = false)
RETURN le.id AS lead_id, c.id AS company, l.id AS link, le.stage AS stage,
       le.last_followup_at AS last_followup_at
"""

# The same leads as they stood at $moment: the stage of their last StageChange before it, their last
# follow-up done before it; a lead with no stage change by then did not exist yet.
_LEADS_THEN = """
MATCH (le:Lead)-[:TARGETS]->(c:Company)
MATCH (le)-[:FILLS]->(l:ChainNode)
WHERE {scope} (le.archived IS NULL OR le.archived = false)
MATCH (s:StageChange)-[:STAGE_OF]->(le) WHERE s.at < $moment
WITH le, c, l, max(s.at) AS last_at
MATCH (s2:StageChange)-[:STAGE_OF]->(le) WHERE s2.at = last_at
WITH le, c, l, s2
OPTIONAL MATCH (f:FollowUp)-[:ABOUT]->(le) WHERE f.status = 'done' AND f.done_at < $moment
RETURN le.id AS lead_id, c.id AS company, l.id AS link, s2.to_stage AS stage,
       max(f.done_at) AS last_followup_at
"""

_DISTRICTS = """
MATCH (d:District) WHERE (d.valid_from IS NULL OR d.valid_from <= $as_of) AND (d.valid_to IS NULL OR d.valid_to > $as_of)
OPTIONAL MATCH (d)-[:FOCUSES_ON]->(ch:Chain)
WITH d, collect(ch.id) AS focus
OPTIONAL MATCH (c:Company)-[:PRESENT_IN|WAS_PRESENT_IN]->(d) WHERE {local_here}
OPTIONAL MATCH (c)-[mk:MAKES]->(l:ChainNode) WHERE {made}
RETURN d.id AS id, d.name_zh AS name_zh, d.name_en AS name_en, focus,
       l.chain_id AS chain_id, count(DISTINCT c) AS local_makers
"""


def _query(template: str, chain_id: str | None, clause: str) -> str:
    return template.format(scope=clause if chain_id is not None else "", **_FRAGMENTS)


def today(as_of: date | None = None) -> date:
    """The day a reading describes: the one asked for, else today in Chongqing."""
    return as_of if as_of is not None else local_today(utcnow())


def check_as_of(day: date, *, today: date) -> None:
    """A reading as of a day after today is refused: the record holds no future to read."""
    if day > today:
        raise ValidationFailed({"as_of": [f"{day.isoformat()} is after today ({today.isoformat()}); "
                                          "the graph can be read as of today or an earlier day"]})


def project_chains(store: Any, chain_id: str | None = None, *, as_of: date | None = None) -> nx.DiGraph:
    """The links of one chain (or all) with FEEDS edges and local coverage on `as_of` (default today),
    in one query, and their local buyers in a second: presence and making that had begun that day and
    had not ended. A local maker counts
    as leading, multinational or Fortune Global 500 when it or its parent (SUBSIDIARY_OF) is.

    With a chain, links of other chains one FEEDS step away come along marked
    `member=False`: 扩链 asks whether a link touches the local chain across chain lines.
    Node attributes: chain_id, names, segment, position, high_tech, in_focus, tier, makers,
    local_makers, local_leading, local_multinational, local_fg500, best_fg500_rank, member, and the
    local demand: local_buyers (firms here making a link it feeds) in buyer_districts districts.
    """
    day = today(as_of)
    rows = store.read(_query(_LINKS, chain_id, _CHAIN_AND_NEIGHBOURS), {"chain": chain_id, "as_of": day})
    G = nx.DiGraph(chain_id=chain_id)
    edges: list[tuple[str, str]] = []
    for row in sorted(rows, key=lambda r: r["id"]):
        node = row.pop("id")
        edges.extend((node, d) for d in sorted(row.pop("downstream")))
        row["high_tech"] = bool(row["high_tech"])
        row["in_focus"] = row["in_focus"] is not False  # unset means part of the map
        row["member"] = chain_id is None or row["chain_id"] == chain_id
        G.add_node(node, **row)
    G.add_edges_from((a, b) for a, b in edges if b in G)
    buyers = local_buyers(G, makers_by_district(store, chain_id, as_of=day))
    for node, data in G.nodes(data=True):
        found = buyers.get(node, {})
        data.update(buyers_by_district=found, local_buyers=len(set().union(*found.values())) if found else 0,
                    buyer_districts=len(found))
    return G


def local_buyers(G: nx.DiGraph, makers: dict[str, dict[str, set[str]]]) -> dict[str, dict[str, set[str]]]:
    """{link: {district: local firms there that make a link it feeds}} from the projected FEEDS edges and
    `makers_by_district`."""
    out: dict[str, dict[str, set[str]]] = {}
    for link in G:
        for fed in G.successors(link):
            for district, firms in makers.get(fed, {}).items():
                out.setdefault(link, {}).setdefault(district, set()).update(firms)
    return out


def makers_by_district(store: Any, chain_id: str | None = None, *,
                       as_of: date | None = None) -> dict[str, dict[str, set[str]]]:
    """{link: {district: its local makers there}} on `as_of` (default today), for the chain's links and their
    neighbours (every link without a chain)."""
    scope = ("(n.chain_id = $chain OR EXISTS { MATCH (n)-[:FEEDS]-(x:ChainNode) WHERE x.chain_id = $chain }) "
             "AND")
    out: dict[str, dict[str, set[str]]] = {}
    for r in store.read(_query(_LOCAL_BY_DISTRICT, chain_id, scope), {"chain": chain_id, "as_of": today(as_of)}):
        out.setdefault(r["link"], {})[r["district"]] = set(r["makers"])
    return out


@dataclass(slots=True)
class CompanyFacts:
    id: str
    name_zh: str | None
    name_en: str | None
    country: str | None
    fg500_rank: int | None
    multinational: bool
    leading: bool
    revenue_usd_m: float | None
    local_customers: int
    uncovered_made: int
    fg500_unknown: bool = False  # its rank could not be sourced: no points, and the reasons say so


@dataclass(frozen=True)
class LeadFacts:
    lead_id: str
    stage: str | None
    last_followup_at: datetime | None


@dataclass(frozen=True)
class DistrictFacts:
    id: str
    name_zh: str | None
    name_en: str | None
    focus: frozenset[str]
    local_makers: Mapping[str, int]


@dataclass(frozen=True)
class CandidatePool:
    """Who could fill which link: non-local makers per link, their facts, leads, districts."""

    makers: Mapping[str, tuple[str, ...]]
    companies: Mapping[str, CompanyFacts]
    leads: Mapping[tuple[str, str], tuple[LeadFacts, ...]]
    districts: tuple[DistrictFacts, ...]


@collector_paused()
def project_candidates(store: Any, chain_id: str | None = None, *, link_id: str | None = None,
                       as_of: date | None = None, history: bool = False) -> CandidatePool:
    """Every (company, link) pair where the company makes the link and is not local in it, on `as_of`
    (default today).

    Not local: the company is not PRESENT_IN a district, and no subsidiary of it that is makes
    the link (a joint venture already here is the firm's local entity). Six aggregated queries:
    makers per link, company facts, local customers, uncovered links made (city-wide, whatever
    the chain; with every link in scope, counted from the makers per link and the covered links),
    existing leads, districts. Counts come in their own small queries because a
    COUNT{} per company row cost more than the whole of them. With `link_id`, makers, companies
    and leads are read for that link alone (the cockpit's opened link: at 20,000 leads its
    leads take 5 ms instead of the chain's 60 ms); ranking it gives what the chain's pool gives.
    With `history`, leads are read as they stood at the end of `as_of` (their stage history and
    follow-ups) instead of as they stand now.
    """
    day = today(as_of)
    params = {"chain": chain_id, "link": link_id, "as_of": day, "moment": at_local(day + timedelta(days=1), 0)}
    key, scope = (link_id, "l.id = $link") if link_id is not None else (chain_id, "l.chain_id = $chain")
    makers = {r["link"]: tuple(sorted(set(r["companies"]))) for r in
              store.read(_query(_MAKERS, key, scope + " AND"), params)}
    customers = {r["id"]: r["n"] for r in store.read(_query(_LOCAL_CUSTOMERS, None, ""), params)}
    uncovered = (_uncovered_made(makers, store.read(_query(_COVERED, None, ""), params)) if key is None
                 else {r["id"]: r["n"] for r in store.read(_query(_UNCOVERED_MADE, None, ""), params)})
    companies = {r["id"]: CompanyFacts(
        r["id"], r["name_zh"], r["name_en"], r["country"], r["fg500_rank"], bool(r["multinational"]),
        bool(r["leading"]), r["revenue_usd_m"], customers.get(r["id"], 0), uncovered.get(r["id"], 0),
        bool(r["fg500_unknown"]))
        for r in store.read(_query(_COMPANIES, key, scope + " AND"), params)}
    leads: dict[tuple[str, str], list[LeadFacts]] = {}
    for r in store.read(_query(_LEADS_THEN if history else _LEADS, key, scope + " AND"), params):
        leads.setdefault((r["company"], r["link"]), []).append(
            LeadFacts(r["lead_id"], r["stage"], r["last_followup_at"]))
    return CandidatePool(makers=makers, companies=companies,
                         leads={k: tuple(sorted(v, key=lambda f: f.lead_id)) for k, v in leads.items()},
                         districts=_districts(store.read(_query(_DISTRICTS, None, ""), params)))


def _uncovered_made(makers: Mapping[str, tuple[str, ...]], covered: list[dict[str, Any]]) -> dict[str, int]:
    """Uncovered links made, per company, from the makers of every link: a link with no local maker has no
    local subsidiary making it either, so its makers are all there."""
    have = {r["link"] for r in covered}
    return Counter(c for link, firms in makers.items() if link not in have for c in firms)


def _districts(rows: list[dict[str, Any]]) -> tuple[DistrictFacts, ...]:
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        d = found.setdefault(r["id"], {"id": r["id"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                                       "focus": frozenset(r["focus"]), "local_makers": {}})
        if r["chain_id"] is not None:
            d["local_makers"][r["chain_id"]] = r["local_makers"]
    return tuple(DistrictFacts(**found[k]) for k in sorted(found))
