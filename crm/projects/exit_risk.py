"""Exit-risk score (固链) of a present foreign firm: dated, explained signals, weighted by policy.

Pure functions over plain data: the caller gathers the facts (overdue issues, inflows, sole
critical makes, staff-recorded signals); the weights and thresholds are policy `exit_risk`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from crm.errors import ValidationFailed
from crm.policy import section

RECORDED_KINDS = ("parent_closure", "lease_end", "incentive_end")


@dataclass(frozen=True)
class Signal:
    """One dated reason, explained in Chinese and English (a staff note is shown as written in both)."""
    kind: str
    on: date
    points: int
    why_zh: str
    why_en: str


@dataclass(frozen=True)
class Facts:
    """What the bureau holds about one firm, as of `today`."""
    overdue_issues: list[tuple[date, str]] = field(default_factory=list)   # (opened_on, title)
    inflows: list[tuple[date, int]] = field(default_factory=list)          # (received_on, amount_usd)
    sole_critical_links: list[tuple[str, str]] = field(default_factory=list)  # (name_zh, name_en)
    recorded: list[tuple[str, date, str]] = field(default_factory=list)    # (kind, on, note)


@dataclass(frozen=True)
class Risk:
    score: int
    escalate: bool
    signals: list[Signal]


def months_back(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, 28))


def _inflow_signals(inflows: list[tuple[date, int]], today: date, rule: dict[str, Any]) -> list[Signal]:
    months = int(rule["window_months"])
    start = months_back(today, months)
    before = months_back(today, 2 * months)
    last = sum(a for d, a in inflows if start < d <= today)
    prior = sum(a for d, a in inflows if before < d <= start)
    w = rule["weights"]
    if last < 0:
        return [Signal("inflow_withdrawn", today, int(w["inflow_withdrawn"]),
                       f"截至 {today} 的 {months} 个月净流入 {last:,} 美元（撤资）",
                       f"net inflow {last:,} USD in the {months} months to {today}")]
    if prior > 0 and last < prior * float(rule["shrink_ratio"]):
        return [Signal("inflow_shrinking", today, int(w["inflow_shrinking"]),
                       f"截至 {today} 的 {months} 个月到资 {last:,} 美元，此前 {months} 个月 {prior:,} 美元",
                       f"inflow {last:,} USD in the {months} months to {today}, against {prior:,} USD before")]
    return []


def score(facts: Facts, today: date, policy: dict[str, Any] | None = None) -> Risk:
    """The firm's score (capped sum of signal points), its signals newest first, and whether to escalate."""
    rule = section("exit_risk", policy)
    w = rule["weights"]
    signals: list[Signal] = []
    cap = int(w["overdue_issue_cap"])
    for opened, title in sorted(facts.overdue_issues):
        points = min(int(w["overdue_issue"]), cap)
        cap -= points
        days = (today - opened).days
        signals.append(Signal("overdue_issue", opened, points, f"企业诉求“{title}”自 {opened} 起未解决（{days} 天）",
                              f"issue “{title}” open since {opened} ({days} days)"))
    signals += _inflow_signals(facts.inflows, today, rule)
    for zh, en in sorted(facts.sole_critical_links):
        signals.append(Signal("sole_critical_maker", today, int(w["sole_critical_maker"]),
                              f"关键环节“{zh}”唯一的本地生产企业", f"the only local maker of critical link {en}"))
    soon = today + timedelta(days=int(rule["soon_days"]))
    for kind, on, note in facts.recorded:
        if kind not in RECORDED_KINDS:
            raise ValidationFailed({"kind": [f"unknown risk signal kind {kind!r}"]})
        if kind != "parent_closure" and on > soon:
            continue
        signals.append(Signal(kind, on, int(w[kind]), note, note))
    total = min(sum(s.points for s in signals), int(rule["max_score"]))
    signals.sort(key=lambda s: (s.on, s.kind), reverse=True)
    return Risk(total, total >= int(rule["escalate_at"]), signals)
