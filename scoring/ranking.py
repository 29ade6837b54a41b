"""Lead ranking (任务 9 靶向招商): every (company, link) pair where the company makes the link
and is not local in it, scored as 100 · Σ weight · factor with each factor in [0, 1].

Each candidate carries its factor breakdown and a one-line reason in Chinese and English; the
order is by score, then company id, then link id, so it is the same on every run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain, repeat
from typing import Any, Iterable, Iterator, Sequence, overload

import numpy as np

from crm.base.clock import local_today, utcnow
from crm.base.workdays import at_local
from scoring import factors as f
from scoring.collector import collector_paused
from scoring.gaps import LinkGap, link_gaps
from scoring.policy import FACTORS, RankingPolicy, ScoringPolicy, scoring_policy
from scoring.projection import CandidatePool, CompanyFacts, LeadFacts, project_candidates, project_chains
from scoring.reasons import ACTION_LABELS, Reason, existing_lead, reason


@dataclass(slots=True)
class Candidate:
    """One company for one link, with its score, factor breakdown and reason (slots: 300k of them)."""

    rank: int
    company_id: str
    company_name_zh: str | None
    company_name_en: str | None
    link_id: str
    link_name_zh: str | None
    link_name_en: str | None
    chain_id: str | None
    action: str
    severity: float
    score: float
    factors: dict[str, float] = field(default_factory=dict)
    district_id: str | None = None
    district_name_zh: str | None = None
    district_name_en: str | None = None
    lead_id: str | None = None
    lead_stage: str | None = None
    reason_zh: str = ""
    reason_en: str = ""
    origin: str = "foreign"


def _texts(parts: list[Reason]) -> tuple[str, str]:
    return "".join("；" + p.zh for p in parts), "".join("; " + p.en for p in parts)


def _company_text(c: CompanyFacts, others: int, policy: RankingPolicy) -> tuple[str, str]:
    """The company's part of the reason line: standing, local customers, other gaps it fills."""
    parts = []
    if c.fg500_rank is not None and 1 <= c.fg500_rank <= policy.fg500_list_size:
        parts.append(reason("fg500", rank=c.fg500_rank))
    elif c.fg500_unknown:
        parts.append(reason("fg500_unknown"))
    if not c.country or not c.country.strip():
        parts.append(reason("country_unknown"))
    if c.multinational:
        parts.append(reason("multinational"))
    if c.leading:
        parts.append(reason("leading"))
    if c.local_customers:
        parts.append(reason("supplies_local", customers=c.local_customers))
    if others > 0:
        parts.append(reason("other_gaps", links=others))
    return _texts(parts)


@dataclass(frozen=True)
class _Links:
    """The links being ranked (in link-id order) with their per-link factor parts as arrays."""

    ids: list[str]
    gaps: list[LinkGap]
    landings: list[f.Landing]
    gap: np.ndarray
    uncovered: np.ndarray
    fit: np.ndarray
    district: np.ndarray
    demand: np.ndarray


def _links(gaps: Iterable[LinkGap], pool: CandidatePool, policy: ScoringPolicy, action: str | None) -> _Links:
    rp = policy.ranking
    chosen = sorted((g for g in gaps if action is None or g.action == action), key=lambda g: g.link_id)
    landings: dict[str | None, f.Landing] = {}
    for g in chosen:
        if g.chain_id not in landings:
            landings[g.chain_id] = f.best_landing(g.chain_id, pool.districts, rp)
    lands = [landings[g.chain_id] for g in chosen]
    fit = f.policy_fit([g.high_tech for g in chosen],
                       [f.tier_value(g.tier, policy.gaps.tier_values) for g in chosen], np.zeros(len(chosen)), rp)
    return _Links(ids=[g.link_id for g in chosen], gaps=chosen, landings=lands,
                  gap=np.array([g.severity / 100 for g in chosen], dtype=float),
                  uncovered=np.array([g.local_makers == 0 for g in chosen], dtype=float),
                  fit=fit, district=np.array([la.fit for la in lands], dtype=float),
                  demand=f.demand([g.local_buyers if g.local_makers == 0 else 0 for g in chosen], rp))


@collector_paused()
def rank(gaps: Iterable[LinkGap], pool: CandidatePool, policy: ScoringPolicy, *, now: datetime,
         action: str | None = None, top: int | None = None, market: str = "fdi") -> "Ranking":
    """Score and order every candidate pair of `pool` whose link is among `gaps`, of one market:
    `fdi` (foreign investors, and those whose country is unknown, flagged) or `domestic` (mainland
    firms, shown apart as partners, never counted as FDI).

    Vectorised: factors are arrays over companies, links and pairs; a candidate becomes an
    object only when the returned `Ranking` is read. Factors are rounded to 4 places before they are weighted, so the
    breakdown a user sees adds up to the score.
    """
    rp = policy.ranking
    w = rp.weights
    links = _links(gaps, pool, policy, action)
    facts = [pool.companies[k] for k in sorted(pool.companies)]
    index = {c.id: i for i, c in enumerate(facts)}
    makers = [pool.makers.get(link_id, ()) for link_id in links.ids]
    sizes = [len(ms) for ms in makers]
    found = np.fromiter(map(index.get, chain.from_iterable(makers), repeat(-1)), dtype=np.int64, count=sum(sizes))
    li = np.repeat(np.arange(len(links.ids)), sizes)
    by_country = {country: f.origin(country, rp) for country in {c.country for c in facts}}
    origins = [by_country[c.country] for c in facts]
    wanted = np.array([(o == "domestic") == (market == "domestic") for o in origins], dtype=bool)
    known = found >= 0
    ci, li = found[known], li[known]
    ci, li = ci[wanted[ci]], li[wanted[ci]]
    lens = np.bincount(li, minlength=len(links.ids))
    stand = np.round(f.standing([c.fg500_rank or 0 for c in facts], [c.multinational for c in facts],
                                [c.leading for c in facts], [c.revenue_usd_m or 0.0 for c in facts], rp), 4)
    foreign = np.array([o == "foreign" for o in origins], dtype=float)
    made = np.array([c.uncovered_made for c in facts], dtype=float)
    others = np.maximum(made[ci] - links.uncovered[li], 0)
    factor = {
        "gap": np.round(links.gap, 4)[li],
        "standing": stand[ci],
        "synergy": np.round(f.synergy(np.array([c.local_customers for c in facts], dtype=float)[ci], others, rp), 4),
        "policy_fit": np.round(links.fit[li] + rp.policy_fit_weights["foreign"] * foreign[ci], 4),
        "engagement": np.zeros(len(ci)),
        "district": np.round(links.district, 4)[li],
        "demand": np.round(links.demand, 4)[li],
    }
    starts = np.concatenate(([0], np.cumsum(lens)))
    link_pos = {link_id: i for i, link_id in enumerate(links.ids)}
    leads: dict[int, LeadFacts] = {}
    for (company_id, link_id), found_leads in pool.leads.items():
        if link_id in link_pos and company_id in index:
            lo, hi = starts[link_pos[link_id]], starts[link_pos[link_id] + 1]
            hits = np.flatnonzero(ci[lo:hi] == index[company_id])
            if len(hits):
                at = int(lo + hits[0])
                value, lead = f.engagement(found_leads, now, rp)
                factor["engagement"][at] = round(value, 4)
                if lead is not None:
                    leads[at] = lead
    score = np.round(100 * sum(w[name] * factor[name] for name in FACTORS), 4)
    order = np.lexsort((li, ci, -score))[:top]
    return Ranking(order, score, factor, ci, li, facts, links, leads, rp, origins)


def _link_part(g: LinkGap, landing: f.Landing) -> tuple[Any, ...]:
    """What every candidate of one link shares: its fields and the text around the reason."""
    d = landing.district
    zh, en = ACTION_LABELS[g.action]
    tail = _texts([reason("landing", district_zh=d.name_zh or d.id, district_en=d.name_en or d.id)] if d else [])
    return (g.link_id, g.name_zh, g.name_en, g.chain_id, g.action, g.severity,
            d.id if d else None, d.name_zh if d else None, d.name_en if d else None, int(g.local_makers == 0),
            f"{zh}：{g.reasons[0].zh}", f"{en}: {g.reasons[0].en}", tail[0], tail[1])


class Ranking(Sequence[Candidate]):
    """Every candidate, best first; each becomes a `Candidate` only when it is read.

    Scoring and ordering 300k pairs takes vector operations; writing 300k reason lines does
    not, so a page of the API or the top of the CLI pays only for what it shows.
    """

    def __init__(self, order: np.ndarray, score: np.ndarray, factor: dict[str, np.ndarray], ci: np.ndarray,
                 li: np.ndarray, facts: list[CompanyFacts], links: _Links, leads: dict[int, LeadFacts],
                 policy: RankingPolicy, origins: list[str]):
        self._order, self._score, self._factor, self._ci, self._li = order, score, factor, ci, li
        self._facts, self._leads, self._policy, self._origins = facts, leads, policy, origins
        self._parts = [_link_part(g, la) for g, la in zip(links.gaps, links.landings)]
        self._texts: dict[int, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> Candidate: ...

    @overload
    def __getitem__(self, i: slice) -> list[Candidate]: ...

    def __getitem__(self, i: int | slice) -> Candidate | list[Candidate]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            return self._build(range(start, stop, step))
        if not -len(self) <= i < len(self):
            raise IndexError("ranking index out of range")
        return self._build(range(i % len(self), i % len(self) + 1))[0]

    def __iter__(self) -> Iterator[Candidate]:
        for start in range(0, len(self), 10_000):
            yield from self._build(range(start, min(start + 10_000, len(self))))

    @collector_paused()
    def _build(self, positions: range) -> list[Candidate]:
        """Candidate objects for ranks in `positions` (columns to lists first: numpy scalars are slow)."""
        at = self._order[np.arange(positions.start, positions.stop, positions.step, dtype=np.int64)]
        cols = [self._factor[name][at].tolist() for name in FACTORS]
        facts, texts, parts, leads, rp, origins = (self._facts, self._texts, self._parts, self._leads, self._policy,
                                                   self._origins)
        out = []
        rows = zip(positions, at.tolist(), self._score[at].tolist(), self._ci[at].tolist(), self._li[at].tolist(), *cols)
        for pos, pair, value, c_at, l_at, gap_f, stand_f, syn_f, fit_f, eng_f, dist_f, dem_f in rows:
            c = facts[c_at]
            (link_id, name_zh, name_en, chain_id, action, severity, d_id, d_zh, d_en, uncovered,
             head_zh, head_en, tail_zh, tail_en) = parts[l_at]
            key = 2 * c_at + uncovered
            text = texts.get(key)
            if text is None:
                text = texts[key] = _company_text(c, c.uncovered_made - uncovered, rp)
            zh, en = head_zh + text[0], head_en + text[1]
            lead = leads.get(pair) if leads else None
            if lead is not None and lead.stage:
                r = existing_lead(lead.stage)
                zh, en = f"{zh}；{r.zh}", f"{en}; {r.en}"
            out.append(Candidate(
                pos + 1, c.id, c.name_zh, c.name_en, link_id, name_zh, name_en, chain_id, action, severity, value,
                {"gap": gap_f, "standing": stand_f, "synergy": syn_f, "policy_fit": fit_f, "engagement": eng_f,
                 "district": dist_f, "demand": dem_f},
                d_id, d_zh, d_en, lead.lead_id if lead else None, lead.stage if lead else None,
                zh + tail_zh, en + tail_en, origins[c_at]))
        return out


def rank_candidates(store: Any, chain_id: str | None = None, action: str | None = None, top: int | None = None, *,
                    policy: ScoringPolicy | dict[str, Any] | None = None,
                    now: datetime | None = None, as_of: date | None = None, market: str = "fdi") -> "Ranking":
    """Project from the store, analyse the gaps and rank the candidates, best first.

    `now` dates follow-ups for the engagement factor; the entry point's clock if not given. With
    `as_of`, the graph is read as it stood that day and the leads as they stood at its end (their
    stage history), and engagement is measured from that moment: the ranking of that day.
    """
    sp = scoring_policy(policy)
    moment = now or utcnow()
    day = local_today(moment)
    if as_of is not None:
        day, moment = as_of, at_local(as_of + timedelta(days=1), 0)
    gaps = link_gaps(project_chains(store, chain_id, as_of=day), sp.gaps)
    pool = project_candidates(store, chain_id, as_of=day, history=as_of is not None)
    return rank(gaps, pool, sp, now=moment, action=action, top=top, market=market)


def candidate_snapshot(candidate: Candidate, *, policy: ScoringPolicy | dict[str, Any] | None = None,
                       at: datetime | None = None) -> dict[str, Any]:
    """The lead data a scored candidate turns into, as `crm.pipeline.leads.create_lead` takes it.

    The score snapshot keeps the factors, the weights that produced the score and the reasons,
    so the lead still explains itself after the policy or the graph changes. The title names the firm and
    the link only: the action is part of the snapshot and shows in the reader's language.
    """
    weights = dict(scoring_policy(policy).ranking.weights)
    snapshot: dict[str, Any] = {
        "action": candidate.action, "severity": candidate.severity, "score": candidate.score,
        "factors": {k: candidate.factors[k] for k in FACTORS}, "weights": {k: weights[k] for k in FACTORS},
        "district_id": candidate.district_id, "reason_zh": candidate.reason_zh, "reason_en": candidate.reason_en,
    }
    if at is not None:
        snapshot["scored_at"] = at.isoformat()
    return {
        "company_id": candidate.company_id, "link_id": candidate.link_id, "district_id": candidate.district_id,
        "title": f"{candidate.company_name_zh or candidate.company_name_en or candidate.company_id} · "
                 f"{candidate.link_name_zh or candidate.link_id}",
        "source": "ranking", "score": candidate.score, "score_factors": snapshot,
    }
