"""The report's settings and the activity index's weights, from seeds/policy.yaml (`report:`,
`activity_index:`), parsed once and refused loudly when wrong: a mistyped weight would otherwise
rank the districts silently wrong in every weekly report.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.choices import FOLLOWUP_KINDS, GAP_ACTIONS
from crm.errors import ValidationFailed
from crm.policy import load_policy, section

COMPONENTS = ("followups_done", "visits", "new_leads", "signings", "paid_in_fdi", "overdue")
NEGATIVE = ("overdue",)
NORMALISATIONS = ("max", "share")
PROJECTIONS = ("same_period_ratio",)


@dataclass(frozen=True)
class IndexPolicy:
    weights: dict[str, float]
    normalisation: str
    visit_kinds: tuple[str, ...]


@dataclass(frozen=True)
class ReportPolicy:
    upcoming_event_weeks: int
    gap_actions: tuple[str, ...]
    severe_gaps_per_chain: int
    candidates_per_chain: int
    max_rows: int
    projection: str
    index: IndexPolicy


def _whole(raw: dict[str, Any], name: str, low: int = 1) -> int:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValidationFailed({f"report.{name}": [f"a whole number, {low} or more"]})
    return value


def _index(raw: dict[str, Any]) -> IndexPolicy:
    weights = raw.get("components") or {}
    if set(weights) != set(COMPONENTS):
        raise ValidationFailed({"activity_index.components": [f"exactly these: {', '.join(COMPONENTS)}"]})
    for name, value in weights.items():
        wrong_sign = value > 0 if name in NEGATIVE else value < 0
        if isinstance(value, bool) or not isinstance(value, (int, float)) or wrong_sign:
            sign = "0 or less" if name in NEGATIVE else "0 or more"
            raise ValidationFailed({f"activity_index.components.{name}": [f"a number, {sign}"]})
    positive = sum(v for k, v in weights.items() if k not in NEGATIVE)
    if abs(positive - 1) > 1e-9:
        raise ValidationFailed({"activity_index.components": [f"the positive weights must sum to 1, not {positive}"]})
    normalisation = raw.get("normalisation")
    if normalisation not in NORMALISATIONS:
        raise ValidationFailed({"activity_index.normalisation": [f"one of {', '.join(NORMALISATIONS)}"]})
    kinds = tuple(raw.get("visit_kinds") or ())
    unknown = [k for k in kinds if k not in FOLLOWUP_KINDS]
    if unknown or not kinds:
        raise ValidationFailed({"activity_index.visit_kinds": [f"follow-up kinds, not {unknown or 'none'}"]})
    return IndexPolicy({k: float(weights[k]) for k in COMPONENTS}, normalisation, kinds)


def report_policy(policy: dict[str, Any] | None = None) -> ReportPolicy:
    """Parse the two sections (the file's, unless a policy mapping is given)."""
    data = policy if policy is not None else load_policy()
    raw = section("report", data)
    actions = tuple(raw.get("gap_actions") or ())
    if not actions or any(a not in GAP_ACTIONS for a in actions):
        raise ValidationFailed({"report.gap_actions": [f"gap actions such as supplement, not {list(actions)}"]})
    projection = (raw.get("projection") or {}).get("method")
    if projection not in PROJECTIONS:
        raise ValidationFailed({"report.projection.method": [f"one of {', '.join(PROJECTIONS)}"]})
    return ReportPolicy(
        upcoming_event_weeks=_whole(raw, "upcoming_event_weeks"), gap_actions=actions,
        severe_gaps_per_chain=_whole(raw, "severe_gaps_per_chain"),
        candidates_per_chain=_whole(raw, "candidates_per_chain"), max_rows=_whole(raw, "max_rows"),
        projection=projection, index=_index(section("activity_index", data)))
