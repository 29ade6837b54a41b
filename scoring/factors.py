"""The named ranking factors, each in [0, 1], from plain facts and the `scoring.ranking` policy.

The company and pair factors take numpy arrays (one value per company or per pair) so that
300k candidates are scored in a few vector operations; plain numbers work as well.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scoring.policy import RankingPolicy
from scoring.projection import DistrictFacts, LeadFacts

Vector = NDArray[np.float64]


def saturating(x: ArrayLike, half: float) -> Vector:
    """x / (x + half) for x ≥ 0: 0 at 0, 0.5 at `half`, approaching 1."""
    v = np.maximum(np.asarray(x, dtype=float), 0.0)
    return v / (v + half)


def fg500_score(rank: ArrayLike, policy: RankingPolicy) -> Vector:
    """1 for rank 1, falling linearly to `fg500_floor` at the last rank; 0 off the list (0 or NaN).

    >>> from scoring.policy import scoring_policy
    >>> p = scoring_policy().ranking
    >>> fg500_score([1, 0, p.fg500_list_size], p).tolist() == [1.0, 0.0, p.fg500_floor]
    True
    """
    r = np.nan_to_num(np.asarray(rank, dtype=float), nan=0.0)
    size = policy.fg500_list_size
    on = (r >= 1) & (r <= size)
    return np.where(on, 1.0 - (1.0 - policy.fg500_floor) * (r - 1) / max(size - 1, 1), 0.0)


def standing(fg500_rank: ArrayLike, multinational: ArrayLike, leading: ArrayLike, revenue_usd_m: ArrayLike,
             policy: RankingPolicy) -> Vector:
    """Fortune Global 500 rank, multinational, industry leader and size (任务 9's targets)."""
    w = policy.standing_weights
    return (w["fg500"] * fg500_score(fg500_rank, policy)
            + w["multinational"] * np.asarray(multinational, dtype=float)
            + w["leading"] * np.asarray(leading, dtype=float)
            + w["size"] * saturating(np.nan_to_num(np.asarray(revenue_usd_m, dtype=float)), policy.revenue_half_usd_m))


def synergy(local_customers: ArrayLike, other_gaps: ArrayLike, policy: RankingPolicy) -> Vector:
    """Already supplies local firms; makes other links the city lacks."""
    w = policy.synergy_weights
    return (w["supplies_local"] * saturating(local_customers, policy.customers_half)
            + w["other_gaps"] * saturating(other_gaps, policy.other_gaps_half))


def demand(buyers_outside: ArrayLike, policy: RankingPolicy) -> Vector:
    """The supply–demand signal: local firms that make a link this one feeds while no local maker supplies
    it (they buy it from outside); 0 where a local maker exists."""
    return saturating(buyers_outside, policy.buyers_half)


def policy_fit(high_tech: ArrayLike, tier_value: ArrayLike, foreign: ArrayLike, policy: RankingPolicy) -> Vector:
    """High-tech manufacturing link (任务 8), the chain's 33618 tier, and foreign capital (T1 FDI)."""
    w = policy.policy_fit_weights
    return (w["high_tech"] * np.asarray(high_tech, dtype=float) + w["tier"] * np.asarray(tier_value, dtype=float)
            + w["foreign"] * np.asarray(foreign, dtype=float))


def origin(country: str | None, policy: RankingPolicy) -> str:
    """Where an investor's capital comes from, as FDI statistics count it: foreign (HK, MO and TW
    included), domestic (the mainland), or unknown when the library holds no country: a blank is
    for the data steward to fill, never read as domestic."""
    if not country or not country.strip():
        return "unknown"
    return "domestic" if country.strip().upper() in policy.domestic_countries else "foreign"


def engagement(leads: Iterable[LeadFacts], now: datetime, policy: RankingPolicy) -> tuple[float, LeadFacts | None]:
    """The best existing lead for a pair: how far its stage has come, how recent its last follow-up."""
    w = policy.engagement_weights
    best: tuple[float, LeadFacts | None] = (0.0, None)
    for lead in leads:
        recency = 0.0
        if lead.last_followup_at is not None:
            days = (now - lead.last_followup_at).total_seconds() / 86400
            recency = min(1.0, max(0.0, 1.0 - days / policy.recent_days))
        value = w["stage"] * policy.stage_values.get(lead.stage or "", 0.0) + w["recent_followup"] * recency
        if best[1] is None or value > best[0]:
            best = (value, lead)
    return best


@dataclass(frozen=True)
class Landing:
    district: DistrictFacts | None
    fit: float


def best_landing(chain_id: str | None, districts: Iterable[DistrictFacts], policy: RankingPolicy) -> Landing:
    """The district that focuses on the chain and holds most of its local makers.

    fit = focus · [the district FOCUSES_ON the chain] + cluster · its share of the chain's local
    makers; ties go to the lower district code; no district with either gives fit 0.
    """
    w = policy.district_weights
    pool = sorted(districts, key=lambda d: d.id)
    total = sum(d.local_makers.get(chain_id or "", 0) for d in pool)
    best = Landing(None, 0.0)
    for d in pool:
        share = d.local_makers.get(chain_id or "", 0) / total if total else 0.0
        fit = w["focus"] * (chain_id in d.focus) + w["cluster"] * share
        if fit > best.fit:
            best = Landing(d, fit)
    return best


def tier_value(tier: str | None, tiers: Mapping[str, float]) -> float:
    return tiers.get(tier or "", 0.0)
