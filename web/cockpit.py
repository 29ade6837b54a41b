"""The chain cockpit (链长视图; 任务 9 链长制), composed from crm and scoring, as web/demo.py is.

One projection of the chain per request feeds the drawing, every link's gap and the KPIs; the
candidate pool is projected only when a link is opened, and ranked for that link alone. Nothing
is kept between requests, so a new lead or a new local maker shows at once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm.base import pickers
from crm.pipeline import leads
from crm.base.access import Actor, Scope, can_read, can_write
from crm.reports.chain_figures import ChainFigures, LocalMaker, chain_figures, local_makers
from crm.choices import CANDIDATE_MARKETS, GAP_ACTIONS, LINK_SEGMENTS
from crm.base.clock import local_today
from crm.errors import NotFound, ValidationFailed
from crm.pipeline.stages import OPEN_STAGES
from crm.base.listing import Page
from scoring.gaps import LinkGap, link_gaps
from scoring.policy import scoring_policy
from scoring.projection import project_candidates, project_chains
from scoring.ranking import Candidate, candidate_snapshot, rank
from scoring.reasons import existing_lead
from scoring.resilience import Move, Resilience, ResiliencePolicy, resilience_of
from scoring.resilience_trend import Point, trend
from web.pages.chain_drawing import Drawing, draw

TOP = 10


@dataclass
class LinkPanel:
    gap: LinkGap
    segment: str | None
    makers: list[LocalMaker]
    candidates: list[Candidate]
    partners: list[Candidate]
    creatable: dict[str, bool]
    leads: Page[leads.Lead]
    weights: dict[str, float]


@dataclass
class Cockpit:
    chain: pickers.Option
    tier: str | None
    gaps: list[LinkGap]
    segments: dict[str, list[LinkGap]]
    drawing: Drawing
    covered: int
    open_gaps: dict[str, int]
    figures: ChainFigures
    resilience: Resilience | None = None
    trend: list[Point] = field(default_factory=list)
    movers: list[Move] = field(default_factory=list)
    panel: LinkPanel | None = None


@dataclass
class ChainRow:
    chain: pickers.Option
    tier: str | None
    links: int
    covered: int
    open_gaps: dict[str, int]
    worst: LinkGap | None
    figures: ChainFigures
    mine: bool = False


def _chain(store: Any, chain_id: str) -> pickers.Option:
    found = next((c for c in pickers.chains(store) if c.id == chain_id), None)
    if found is None:
        raise NotFound("Chain", chain_id)
    return found


def _open_gaps(gaps: list[LinkGap]) -> dict[str, int]:
    counted = Counter(g.action for g in gaps if g.action != "healthy")
    return {a: counted[a] for a in GAP_ACTIONS.values if a != "healthy"}


def cockpit(store: Any, chain_id: str, *, actor: Actor, now: datetime, locale: str,
            link_id: str | None = None, top: int = TOP) -> Cockpit:
    """The chain drawn and measured; with `link_id`, that link's makers, candidates and open leads too."""
    chain = _chain(store, chain_id)
    policy = scoring_policy()
    G = project_chains(store, chain_id, as_of=local_today(now))
    gaps = link_gaps(G, policy.gaps)
    by_id = {g.link_id: g for g in gaps}
    segments: dict[str, list[LinkGap]] = {s: [] for s in LINK_SEGMENTS.values}
    for g in sorted(gaps, key=lambda g: (G.nodes[g.link_id].get("position") or 0, g.link_id)):
        segments.setdefault(G.nodes[g.link_id].get("segment") or "midstream", []).append(g)
    figures = chain_figures(store, actor=actor, today=local_today(now), chain_id=chain_id).get(chain_id)
    view = Cockpit(chain, gaps[0].tier if gaps else None, gaps, segments,
                   draw(G, by_id, locale=locale, selected=link_id if link_id in by_id else None),
                   sum(1 for g in gaps if g.local_makers), _open_gaps(gaps), figures or ChainFigures(chain_id),
                   resilience_of(gaps, chain_id=chain_id, day=local_today(now), policy=ResiliencePolicy.load()))
    view.trend, view.movers = trend(store, chain_id, until=local_today(now), weeks=26)
    if link_id is not None:
        if link_id not in by_id:
            raise NotFound("ChainNode", link_id)
        view.panel = _panel(store, by_id[link_id], G.nodes[link_id].get("segment"), actor=actor, now=now, top=top)
    return view


def _panel(store: Any, gap: LinkGap, segment: str | None, *, actor: Actor, now: datetime, top: int) -> LinkPanel:
    policy = scoring_policy()
    pool = project_candidates(store, gap.chain_id, link_id=gap.link_id, as_of=local_today(now))
    candidates = all_within_scope(store, rank([gap], pool, policy, now=now, top=top)[:top], actor)
    partners = all_within_scope(store, rank([gap], pool, policy, now=now, top=top, market="domestic")[:top], actor)
    creatable = {c.company_id: c.lead_id is None and can_write(actor, Scope(c.district_id, c.chain_id))
                 for c in candidates + partners}
    open_leads = leads.list_leads(store, leads.LeadQuery(link=gap.link_id, stage=list(OPEN_STAGES), sort="-score",
                                                         page_size=20), actor=actor)
    return LinkPanel(gap, segment, local_makers(store, gap.link_id), candidates, partners, creatable, open_leads,
                     dict(policy.ranking.weights))


def within_scope(store: Any, c: Candidate, actor: Actor) -> Candidate:
    """A candidate whose existing lead the reader may not see loses the lead (its id and its mention)."""
    return all_within_scope(store, [c], actor)[0]


def all_within_scope(store: Any, candidates: list[Candidate], actor: Actor) -> list[Candidate]:
    """`within_scope` for a page of candidates, their leads read in one query."""
    if actor.role not in ("chain_leader", "district_officer"):
        return candidates
    readable = {lead.id for lead in leads.fetch_many(store, [c.lead_id for c in candidates if c.lead_id])
                if can_read(actor, lead.scope)}
    for c in candidates:
        if c.lead_id is None or c.lead_id in readable:
            continue
        said = existing_lead(c.lead_stage)
        c.reason_zh = c.reason_zh.replace("；" + said.zh, "")
        c.reason_en = c.reason_en.replace("; " + said.en, "")
        c.lead_id = c.lead_stage = None
    return candidates


def lead_from_candidate(store: Any, chain_id: str, link_id: str, company_id: str, *, actor: Actor,
                        now: datetime, mine: bool) -> leads.Lead:
    """Open a lead for a ranked candidate in one step, with its score snapshot (the ranking is re-read now);
    a domestic partner for the gap may get its lead too, though it never counts as FDI."""
    G = project_chains(store, chain_id, as_of=local_today(now))
    gap = next((g for g in link_gaps(G, scoring_policy().gaps) if g.link_id == link_id), None)
    if gap is None:
        raise NotFound("ChainNode", link_id)
    pool = project_candidates(store, chain_id, link_id=link_id, as_of=local_today(now))
    found = next((c for market in CANDIDATE_MARKETS.values
                  for c in rank([gap], pool, scoring_policy(), now=now, market=market) if c.company_id == company_id),
                 None)
    if found is None:
        raise ValidationFailed({"company_id": ["no longer a candidate for this link"]})
    data = candidate_snapshot(found, at=now)
    if mine:
        data["owner_id"] = actor.id
    return leads.create_lead(store, data, actor=actor, now=now)


def chains_overview(store: Any, *, actor: Actor, now: datetime) -> list[ChainRow]:
    """Every chain with its coverage, open gaps and pipeline, the reader's own chains first."""
    G = project_chains(store, as_of=local_today(now))
    gaps = link_gaps(G, scoring_policy().gaps)
    figures = chain_figures(store, actor=actor, today=local_today(now))
    by_chain: dict[str, list[LinkGap]] = {}
    for g in gaps:
        by_chain.setdefault(g.chain_id or "", []).append(g)
    rows = []
    for chain in pickers.chains(store):
        mine = by_chain.get(chain.id, [])
        rows.append(ChainRow(chain, mine[0].tier if mine else None, len(mine), sum(1 for g in mine if g.local_makers),
                             _open_gaps(mine), mine[0] if mine and mine[0].action != "healthy" else None,
                             figures.get(chain.id) or ChainFigures(chain.id), chain.id in actor.chains))
    return sorted(rows, key=lambda r: (not r.mine, r.chain.id))
