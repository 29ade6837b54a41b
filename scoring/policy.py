"""The `scoring:` section of seeds/policy.yaml as typed, checked values.

Parsed once into frozen dataclasses so a missing or mistyped figure fails at start-up with the
key it concerns, not in the middle of a ranking.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from crm.errors import ValidationFailed
from crm.policy import section

ACTIONS = ("supplement", "stabilise", "strengthen", "extend")
FACTORS = ("gap", "standing", "synergy", "policy_fit", "engagement", "district", "demand")


@dataclass(frozen=True)
class GapPolicy:
    stabilise_max_local_makers: int
    stabilise_min_dependents: int
    stabilise_need: Mapping[int, float]
    strengthen_min_local_makers: int
    strengthen_extra_makers: float
    extend_neighbours_half: float
    extend_remote_need: float
    action_weight: Mapping[str, float]
    severity_mix: Mapping[str, float]
    criticality_weights: Mapping[str, float]
    reach_half: float
    makers_half: float
    priority_weights: Mapping[str, float]
    tier_values: Mapping[str, float]


@dataclass(frozen=True)
class RankingPolicy:
    weights: Mapping[str, float]
    standing_weights: Mapping[str, float]
    fg500_list_size: int
    fg500_floor: float
    revenue_half_usd_m: float
    synergy_weights: Mapping[str, float]
    customers_half: float
    other_gaps_half: float
    policy_fit_weights: Mapping[str, float]
    domestic_countries: frozenset[str]
    engagement_weights: Mapping[str, float]
    stage_values: Mapping[str, float]
    recent_days: float
    district_weights: Mapping[str, float]
    buyers_half: float = 3.0


@dataclass(frozen=True)
class ScoringPolicy:
    gaps: GapPolicy
    ranking: RankingPolicy

    def with_weight(self, factor: str, value: float) -> "ScoringPolicy":
        """A copy with one ranking weight changed (what-if views and tests)."""
        if factor not in FACTORS:
            raise ValidationFailed({"scoring.ranking.weights": [f"unknown factor {factor!r}"]})
        weights = dict(self.ranking.weights) | {factor: float(value)}
        return replace(self, ranking=replace(self.ranking, weights=weights))


class _Reader:
    """Walks the nested mapping, naming the full key in every error."""

    def __init__(self, data: Any, path: str):
        if not isinstance(data, Mapping):
            raise ValidationFailed({path: ["expected a mapping"]})
        self.data, self.path = data, path

    def sub(self, key: str) -> "_Reader":
        return _Reader(self._get(key), f"{self.path}.{key}")

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise ValidationFailed({f"{self.path}.{key}": ["missing"]})
        return self.data[key]

    def number(self, key: str, *, low: float = 0.0, high: float | None = None) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationFailed({f"{self.path}.{key}": [f"expected a number, got {value!r}"]})
        if value < low or (high is not None and value > high):
            raise ValidationFailed({f"{self.path}.{key}": [f"{value} is outside [{low}, {high}]"]})
        return float(value)

    def weights(self, key: str, names: tuple[str, ...]) -> dict[str, float]:
        sub = self.sub(key)
        extra = set(sub.data) - set(names)
        if extra:
            raise ValidationFailed({sub.path: [f"unknown keys {sorted(extra)}"]})
        return {name: sub.number(name, high=1.0) for name in names}

    def values(self, key: str) -> dict[Any, float]:
        sub = self.sub(key)
        return {name: sub.number(name, high=1.0) for name in sub.data}


def parse_policy(data: Mapping[str, Any]) -> ScoringPolicy:
    """Build the typed policy from the `scoring:` mapping."""
    root = _Reader(data, "scoring")
    g, r = root.sub("gaps"), root.sub("ranking")
    stab, stren, crit, prio = g.sub("stabilise"), g.sub("strengthen"), g.sub("criticality"), g.sub("priority")
    gaps = GapPolicy(
        stabilise_max_local_makers=int(stab.number("max_local_makers", low=1)),
        stabilise_min_dependents=int(stab.number("min_local_dependents")),
        stabilise_need={int(k): v for k, v in stab.values("need_by_local_makers").items()},
        strengthen_min_local_makers=int(stren.number("min_local_makers", low=1)),
        strengthen_extra_makers=stren.number("extra_makers_at_full_criticality"),
        extend_neighbours_half=g.sub("extend").number("neighbours_half", low=1e-9),
        extend_remote_need=g.sub("extend").number("remote_need", high=1.0),
        action_weight=g.weights("action_weight", ACTIONS),
        severity_mix=g.weights("severity_mix", ("base", "criticality", "priority")),
        criticality_weights=crit.weights("weights", ("downstream_reach", "local_makers_downstream", "betweenness")),
        reach_half=crit.number("reach_half", low=1e-9),
        makers_half=crit.number("makers_half", low=1e-9),
        priority_weights=prio.weights("weights", ("high_tech", "tier")),
        tier_values=prio.values("tier"),
    )
    st, sy, pf, en, di, de = (r.sub(k) for k in ("standing", "synergy", "policy_fit", "engagement", "district",
                                                 "demand"))
    domestic = pf._get("domestic_countries")
    if not isinstance(domestic, list):
        raise ValidationFailed({f"{pf.path}.domestic_countries": ["expected a list of country codes"]})
    ranking = RankingPolicy(
        weights=r.weights("weights", FACTORS),
        standing_weights=st.weights("weights", ("fg500", "multinational", "leading", "size")),
        fg500_list_size=int(st.number("fg500_list_size", low=1)),
        fg500_floor=st.number("fg500_floor", high=1.0),
        revenue_half_usd_m=st.number("revenue_half_usd_m", low=1e-9),
        synergy_weights=sy.weights("weights", ("supplies_local", "other_gaps")),
        customers_half=sy.number("customers_half", low=1e-9),
        other_gaps_half=sy.number("other_gaps_half", low=1e-9),
        policy_fit_weights=pf.weights("weights", ("high_tech", "tier", "foreign")),
        domestic_countries=frozenset(str(c).upper() for c in domestic),
        engagement_weights=en.weights("weights", ("stage", "recent_followup")),
        stage_values=en.values("stage"),
        recent_days=en.number("recent_days", low=1e-9),
        district_weights=di.weights("weights", ("focus", "cluster")),
        buyers_half=de.number("buyers_half", low=1e-9),
    )
    return ScoringPolicy(gaps, ranking)


def scoring_policy(policy: ScoringPolicy | Mapping[str, Any] | None = None) -> ScoringPolicy:
    """Accept a parsed policy, a whole policy file's data, or None for seeds/policy.yaml."""
    if isinstance(policy, ScoringPolicy):
        return policy
    return parse_policy(section("scoring", dict(policy) if policy is not None else None))
