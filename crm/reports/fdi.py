"""The FDI section against the plan (二、主要目标 T1–T3) and its early warning (四（四）, T4).

Built on crm/reports/kpis.py: both measures apart and labelled, the target measure's growth on the same
period last year against the 10 % target, the manufacturing share against its floor of 30 %, high-tech
manufacturing and services. The projection of the year-end figure is documented in docs/report.md:

    projected = last year's full year × (this year to date ÷ last year's same period)

i.e. the year ends as far above or below last year as it is now; the year is off track when the
projection falls short of last year × (1 + the growth target), which is the same test as the
year-to-date growth falling short of the target.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crm.reports import kpis
from crm.reports.kpis import Breakdown, FlowFact, Period
from crm.policy import section
from crm.reports.common import pair, ratio
from crm.reports.weeks import Week


def _parts(b: Breakdown) -> dict[str, Any]:
    return {"total_usd": b.total_usd, "manufacturing_usd": b.manufacturing_usd,
            "high_tech_manufacturing_usd": b.high_tech_manufacturing_usd,
            "high_tech_services_usd": b.high_tech_services_usd,
            "manufacturing_share": ratio(b.manufacturing_usd, b.total_usd)}


def projection(last_full: int, ytd: int, last_ytd: int, growth_min: Decimal) -> dict[str, Any]:
    """Year-end FDI at this year's pace, and the figure the growth target asks for (whole USD)."""
    target = int((Decimal(last_full) * (1 + growth_min)).quantize(Decimal(1), ROUND_HALF_UP))
    projected = (None if not last_ytd else
                 int((Decimal(last_full) * ytd / last_ytd).quantize(Decimal(1), ROUND_HALF_UP)))
    return {"method": "same_period_ratio", "last_year_full_usd": last_full, "ytd_usd": ytd, "last_ytd_usd": last_ytd,
            "projected_usd": projected, "target_usd": target if last_full else None,
            "shortfall_usd": None if projected is None or not last_full else max(0, target - projected)}


def _monthly(facts: list[FlowFact], kinds: tuple[str, ...], year: int, as_of: date) -> list[dict[str, Any]]:
    """Cumulative USD by month end, this year (to `as_of`) and last year, for the trend chart."""
    by_month: dict[tuple[int, int], int] = {}
    for f in facts:
        if f.kind in kinds and f.received_on <= as_of:
            key = (f.received_on.year, f.received_on.month)
            by_month[key] = by_month.get(key, 0) + f.amount_usd
    out, now, before = [], 0, 0
    for month in range(1, 13):
        now += by_month.get((year, month), 0)
        before += by_month.get((year - 1, month), 0)
        out.append({"month": month, "this_year_usd": now if month <= as_of.month else None, "last_year_usd": before})
    return out


def _warnings(checks: dict[str, Any], proj: dict[str, Any], figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Warning lines as codes and numbers: each format words them in its reader's language."""
    out = []
    if checks["growth"].status == "off_track":
        out.append({"code": "fdi_off_track", "growth": checks["growth"].value, "target": checks["growth"].target,
                    "projected_usd": proj["projected_usd"], "target_usd": proj["target_usd"],
                    "shortfall_usd": proj["shortfall_usd"]})
    share = checks["manufacturing_share"]
    if share.status == "below":
        out.append({"code": "manufacturing_share_below", "share": share.value, "target": share.target})
    for name in ("high_tech_manufacturing", "high_tech_services"):
        if name in checks and checks[name].status == "not_rising":
            out.append({"code": f"{name}_not_rising", "value_usd": figures[f"{name}_usd"]["value"],
                        "previous_usd": figures[f"{name}_usd"]["previous"]})
    return out


def fdi_figures(facts: list[FlowFact], *, week: Week, policy: dict[str, Any]) -> dict[str, Any]:
    """Year to the week's Sunday against the same period last year, with the projection and warnings."""
    year, as_of = week.end.year, week.end
    report = kpis.kpi_report(facts, year=year, as_of=as_of, policy=policy)
    target, checks = report.target, {c.name: c for c in report.checks}
    growth_min = Decimal(str(section("targets", policy)["fdi_growth_min"]))
    last_full = kpis.breakdown(facts, target.kinds, Period(date(year - 1, 1, 1), date(year - 1, 12, 31))).total_usd
    proj = projection(last_full, target.current.total_usd, target.previous.total_usd, growth_min)
    in_week = [kpis.breakdown(facts, target.kinds, Period(w.start, w.end)).total_usd for w in (week, week.previous)]
    to_last_week = (kpis.breakdown(facts, target.kinds, Period(date(year, 1, 1), week.previous.end)).total_usd
                    if week.previous.end.year == year else 0)
    figures: dict[str, Any] = {
        "year": year, "as_of": as_of, "period": vars(report.period), "previous_period": vars(report.previous_period),
        "measures": [{"key": m.key, "label_zh": m.label_zh, "label_en": m.label_en, "kinds": list(m.kinds),
                      "is_target_measure": m.is_target_measure, "growth": m.growth,
                      "current": _parts(m.current), "previous": _parts(m.previous)} for m in report.measures],
        "ytd_usd": pair(target.current.total_usd, target.previous.total_usd),
        "ytd_at_last_week_usd": to_last_week,
        "week_usd": pair(*in_week),
        "growth": {"value": checks["growth"].value, "target": checks["growth"].target,
                   "status": checks["growth"].status},
        "manufacturing_share": {"value": checks["manufacturing_share"].value,
                                "previous": target.previous.share("manufacturing_usd"),
                                "target": checks["manufacturing_share"].target,
                                "status": checks["manufacturing_share"].status},
        "high_tech_manufacturing_usd": pair(target.current.high_tech_manufacturing_usd,
                                            target.previous.high_tech_manufacturing_usd),
        "high_tech_services_usd": pair(target.current.high_tech_services_usd, target.previous.high_tech_services_usd),
        "projection": proj,
        "monthly": _monthly(facts, target.kinds, year, as_of),
    }
    for name in ("high_tech_manufacturing", "high_tech_services"):
        figures[f"{name}_usd"]["status"] = checks[name].status if name in checks else None
    figures["warnings"] = _warnings(checks, proj, figures)
    return figures
