"""The incentives section (任务 5, 10): projects whose capital paid in this year, to the report's
Sunday, already earns a reward, with the estimated amounts from crm/projects/incentives.py.

The estimate is the year's reward on the capital counted so far; later inflows may lift a
project into a higher tier, so the figure can only grow during the year.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from crm.projects.incentives import IncentivePolicy, year_reward
from crm.reports.common import pair
from crm.reports.loading import ReportData


@dataclass
class _Project:
    kind: str
    manufacturing: bool
    industry_category: str
    rd_centre: bool
    rd_centre_recognised_on: date | None
    capital_support_elsewhere: str | None = None
    rd_support_elsewhere: str | None = None
    archived: bool = False


@dataclass
class _Inflow:
    received_on: date
    amount_usd: int
    kind: str
    archived: bool = False


def _rewards(data: ReportData, as_of: date, policy: IncentivePolicy) -> dict[str, Any]:
    flows: dict[str, list[_Inflow]] = {}
    for f in data.incentive_flows:
        if f["received_on"] <= as_of:
            flows.setdefault(f["project_id"], []).append(_Inflow(f["received_on"], f["amount_usd"], f["kind"]))
    out = {}
    for p in data.incentive_projects:
        recognised = p["rd_centre_recognised_on"]
        counted = bool(p["rd_centre"]) and recognised is not None and recognised <= as_of
        facts = _Project(p["kind"] or "new", bool(p["manufacturing"]), p["industry_category"] or "other", counted,
                         recognised if counted else None, p["capital_support_elsewhere"], p["rd_support_elsewhere"])
        out[p["id"]] = year_reward(facts, flows.get(p["id"], []), data.year, policy)
    return out


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def incentive_figures(data: ReportData, *, policy: dict[str, Any], max_rows: int) -> dict[str, Any]:
    rules = IncentivePolicy.load(policy)
    now = _rewards(data, data.week.end, rules)
    last_week = data.week.previous.end
    before = _rewards(data, last_week, rules) if last_week.year == data.year else {}
    projects = {p["id"]: p for p in data.incentive_projects}
    rows = []
    for pid, r in now.items():
        if r.total_rmb <= 0:
            continue
        p = projects[pid]
        rows.append({"project_id": pid, "name": p["name"], "company_name_zh": p["company_name_zh"],
                     "company_name_en": p["company_name_en"], "district_id": p["district_id"],
                     "chain_id": p["chain_id"], "kind": p["kind"],
                     "manufacturing": bool(p["manufacturing"]), "counted_usd": r.counted_usd,
                     "uncounted_usd": r.uncounted_usd, "tier": r.tier,
                     "rate": float(r.rate) if r.rate is not None else None,
                     "capital_reward_rmb": _money(r.capital_reward_rmb), "rd_centre_rmb": _money(r.rd_centre_rmb),
                     "total_rmb": _money(r.total_rmb), "capped": r.capped,
                     "reasons_zh": [x.zh for x in r.reasons], "reasons_en": [x.en for x in r.reasons]})
    rows.sort(key=lambda r: (-r["total_rmb"], r["project_id"]))
    total = sum((r.total_rmb for r in now.values()), Decimal(0))
    total_before = sum((r.total_rmb for r in before.values()), Decimal(0))
    return {"year": data.year, "first_year": rules.first_year, "projects_total": len(rows), "projects": rows[:max_rows],
            "total_rmb": pair(_money(total), _money(total_before)),
            "projects_rewarded": pair(len(rows), sum(1 for r in before.values() if r.total_rmb > 0))}
