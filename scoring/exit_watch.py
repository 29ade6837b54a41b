"""The exit-risk watch list (固链): every present foreign firm the actor may see, with its score and
dated signals (crm.projects.exit_risk), gathered from issues, inflows, criticality and staff records.

In scoring/ because the sole-critical-maker signal needs the links' criticality (crm is below scoring).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from crm.base.access import Actor, reads_everything
from crm.policy import load_policy, section
from crm.projects.exit_risk import Facts, Risk, months_back, score
from crm.projects.firm_issues import overdue_since
from scoring.factors import origin
from scoring.gaps import analyse_gaps
from scoring.policy import scoring_policy
from scoring.projection import made, present

_FIRMS = ("MATCH (c:Company{one})-[:PRESENT_IN]->(d:District) OPTIONAL MATCH (c)-[:MAKES]->(n:ChainNode) "
          "RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en, c.country AS country, "
          "d.id AS district_id, n.chain_id AS chain_id")
_ISSUES = ("MATCH (i:Issue)-[:RAISED_BY]->(c:Company{one}) WHERE i.archived = false AND i.status IN $open "
           "AND i.opened_on < $since RETURN c.id AS id, i.opened_on AS opened_on, i.title AS title")
_INFLOWS = ("MATCH (f:CapitalInflow)-[:PAID_INTO]->(p:Project) MATCH (p)-[:INVESTED_BY]->(c:Company{one}) "
            "WHERE f.archived = false AND f.received_on > $after "
            "RETURN c.id AS id, f.received_on AS received_on, f.amount_usd AS amount")
_MAKERS = ("MATCH (c:Company{one})-[:MAKES]->(n:ChainNode) WHERE n.id IN $links "
           "MATCH (c)-[:PRESENT_IN]->(d:District) RETURN DISTINCT c.id AS id, n.id AS link, n.name_zh AS name, "
           "n.name_en AS name_en")
_RECORDED = ("MATCH (s:RiskSignal)-[:FLAGS]->(c:Company{one}) WHERE s.archived = false "
             "RETURN c.id AS id, s.kind AS kind, s.signal_on AS signal_on, s.note AS note")
ONE = " {id: $company}"
# One firm's links with how many local makers each has today, counted as the gap analysis counts them:
# only a chain where the firm is the sole local maker of a link needs that chain's gaps (criticality).
_SOLE_CHAINS = ("MATCH (c:Company {id: $company})-[:MAKES]->(l:ChainNode) MATCH (o:Company)-[om:MAKES]->(l) "
                f"WHERE {made('om')} AND {present('o')} "
                "WITH l, count(DISTINCT o) AS makers WHERE makers = 1 RETURN DISTINCT l.chain_id AS chain")


@dataclass
class WatchEntry:
    company_id: str
    name_zh: str | None
    name_en: str | None
    districts: list[str]
    chains: list[str]
    risk: Risk


def _visible(actor: Actor, districts: list[str], chains: list[str]) -> bool:
    if reads_everything(actor):
        return True
    if actor.role == "chain_leader":
        return bool(set(chains) & set(actor.chains))
    if actor.role == "district_officer":
        return bool(set(districts) & set(actor.districts))
    return False


def _read(store: Any, query: str, company: str | None, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run one of the queries above for every firm, or for one firm (`company`)."""
    if company is None:
        return store.read(query.format(one=""), params or {})
    return store.read(query.format(one=ONE), {**(params or {}), "company": company})


def _entries(store: Any, today: date, data: dict[str, Any], company: str | None) -> list[WatchEntry]:
    """Every present foreign firm (or the one named) with its score as of `today`, unordered, unfiltered."""
    rule = section("exit_risk", data)
    firms: dict[str, dict[str, Any]] = {}
    domestic = scoring_policy(data).ranking
    for row in _read(store, _FIRMS, company):
        if origin(row["country"], domestic) != "foreign":
            continue
        firm = firms.setdefault(row["id"], {"name_zh": row["name_zh"], "name_en": row["name_en"],
                                            "districts": set(), "chains": set()})
        firm["districts"].add(row["district_id"])
        if row["chain_id"]:
            firm["chains"].add(row["chain_id"])
    if not firms:
        return []
    facts: dict[str, Facts] = {cid: Facts() for cid in firms}
    for row in _read(store, _ISSUES, company, {"open": ["open", "in_progress"], "since": overdue_since(today, data)}):
        if row["id"] in facts:
            facts[row["id"]].overdue_issues.append((row["opened_on"], row["title"] or ""))
    after = months_back(today, 2 * int(rule["window_months"]))
    for row in _read(store, _INFLOWS, company, {"after": after}):
        if row["id"] in facts:
            facts[row["id"]].inflows.append((row["received_on"], int(row["amount"] or 0)))
    chains = [None] if company is None else sorted(r["chain"] for r in store.read(
        _SOLE_CHAINS, {"company": company, "as_of": today}))
    critical = [g.link_id for chain in chains for g in analyse_gaps(store, chain, policy=data)
                if g.local_makers == 1 and g.criticality >= float(rule["critical_at"])]
    for row in _read(store, _MAKERS, company, {"links": critical}) if critical else []:
        if row["id"] in facts:
            facts[row["id"]].sole_critical_links.append((row["name"] or row["link"], row["name_en"] or row["link"]))
    for row in _read(store, _RECORDED, company):
        if row["id"] in facts:
            facts[row["id"]].recorded.append((row["kind"], row["signal_on"], row["note"] or ""))
    return [WatchEntry(cid, firm["name_zh"], firm["name_en"], sorted(firm["districts"]), sorted(firm["chains"]),
                       score(facts[cid], today, data)) for cid, firm in firms.items()]


def watch_list(store: Any, *, actor: Actor, today: date, chain: str | None = None, district: str | None = None,
               policy: dict[str, Any] | None = None) -> list[WatchEntry]:
    """The present foreign firms the actor may see (filtered by chain/district), riskiest first."""
    data = policy if policy is not None else load_policy()
    entries = [e for e in _entries(store, today, data, None)
               if (not chain or chain in e.chains) and (not district or district in e.districts)
               and _visible(actor, e.districts, e.chains)]
    return sorted(entries, key=lambda e: (-e.risk.score, e.company_id))


def firm_risk(store: Any, company_id: str, *, actor: Actor, today: date,
              policy: dict[str, Any] | None = None) -> WatchEntry | None:
    """One firm's entry, read for that firm alone; None when it is not a present foreign firm the actor may see."""
    data = policy if policy is not None else load_policy()
    found = [e for e in _entries(store, today, data, company_id) if _visible(actor, e.districts, e.chains)]
    return found[0] if found else None
