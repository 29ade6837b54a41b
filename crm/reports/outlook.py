"""The chain outlook of a report: open 补链/固链 gaps and the best candidates for the severest ones.

The figures come from the scoring package through crm.base.hooks (its gap analysis and lead ranking);
crm never imports scoring. Without them the report says the outlook is unavailable instead of failing.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from crm.base.hooks import Scoring
from crm.reports.settings import ReportPolicy

__all__ = ["Scoring", "chain_outlook"]


def _gap(g: Any) -> dict[str, Any]:
    return {"chain_id": g.chain_id, "link_id": g.link_id, "name_zh": g.name_zh, "name_en": g.name_en,
            "action": g.action, "severity": float(g.severity), "local_makers": int(g.local_makers),
            "summary_zh": g.summary_zh, "summary_en": g.summary_en}


_LEAD_DISTRICTS = "UNWIND $ids AS i MATCH (l:Lead {id: i}) RETURN l.id AS id, l.district_id AS district_id"


def _candidate(c: Any, scoring: Scoring) -> dict[str, Any]:
    """A candidate as the report keeps it; with a lead, also how its reason mentions the lead, so a reader
    who may not open that lead gets the reason without it (crm/reports/scope.py)."""
    out = {"chain_id": c.chain_id, "link_id": c.link_id, "link_name_zh": c.link_name_zh,
           "link_name_en": c.link_name_en, "company_id": c.company_id, "company_name_zh": c.company_name_zh,
           "company_name_en": c.company_name_en, "score": float(c.score), "action": c.action,
           "severity": float(c.severity), "reason_zh": c.reason_zh, "reason_en": c.reason_en,
           "lead_id": c.lead_id, "lead_stage": c.lead_stage}
    if c.lead_id is not None and scoring.lead_mention is not None:
        out["lead_mention_zh"], out["lead_mention_en"] = scoring.lead_mention(c.lead_stage)
    return out


def _with_lead_districts(store: Any, candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each candidate's lead with the district it lands in: the lead's scope (its chain is the candidate's)."""
    ids = sorted({c["lead_id"] for c in candidates if c["lead_id"]})
    found = {r["id"]: r["district_id"] for r in store.read(_LEAD_DISTRICTS, {"ids": ids})} if ids else {}
    return [{**c, "lead_district_id": found.get(c["lead_id"])} if c["lead_id"] else c for c in candidates]


def chain_outlook(store: Any, scoring: Scoring, *, as_of: date, settings: ReportPolicy) -> dict[str, Any]:
    """Open gaps of the report's actions (severest first) and, per chain, the best candidates for
    its `severe_gaps_per_chain` severest ones: one gap analysis and one ranking pass for all chains,
    both as of the week's last day (the graph as it stood, the leads' stages at the week's end)."""
    gaps = [_gap(g) for g in scoring.analyse_gaps(store, as_of=as_of) if g.action in settings.gap_actions]
    severe: dict[str, list[str]] = {}
    for g in gaps:
        chosen = severe.setdefault(g["chain_id"], [])
        if len(chosen) < settings.severe_gaps_per_chain:
            chosen.append(g["link_id"])
    wanted = {link: chain for chain, links in severe.items() for link in links}
    picked: dict[str, list[dict[str, Any]]] = {chain: [] for chain in severe}
    unfilled = set(severe)
    for cand in scoring.rank_candidates(store, as_of=as_of):
        chain = wanted.get(cand.link_id)
        if chain is None or chain not in unfilled:
            continue
        picked[chain].append(_candidate(cand, scoring))
        if len(picked[chain]) >= settings.candidates_per_chain:
            unfilled.discard(chain)
            if not unfilled:
                break
    return {"gaps": gaps, "severe": severe,
            "candidates": _with_lead_districts(store, [c for chain in sorted(picked) for c in picked[chain]]),
            "resilience": scoring.resilience(store, as_of=as_of) if scoring.resilience else None}
