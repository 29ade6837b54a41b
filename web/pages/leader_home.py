"""A leader's home (the viewer role: the bureau's read-only leaders, who the weekly report is for).

Its figures are the latest stored weekly report's, read as the report page reads them (`Report.seen_by`),
so the home and the report agree to the unit and nothing is recomputed per request; the resilience
trend is the kept weekly snapshots the cockpit draws (scoring/resilience_trend.py), up to that week.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm import reports
from crm.base.access import Actor
from crm.choices import LEAD_STAGES
from scoring.resilience_trend import Point, trend
from web import charts

ENDS = 3  # districts shown at each end of the activity index
TREND_WEEKS = 26  # as on the cockpit
FDI_BOX = (240, 48)  # the FDI chart's drawing box (width, height)
BAR_WIDTH = 120


@dataclass
class FdiChart:
    this_year: str
    last_year: str
    target_y: float | None
    width: int = FDI_BOX[0]
    height: int = FDI_BOX[1]


@dataclass
class LeaderHome:
    report: reports.Report | None
    trend: list[Point] = field(default_factory=list)
    fdi_chart: FdiChart | None = None
    stages: list[dict[str, Any]] = field(default_factory=list)
    top: list[dict[str, Any]] = field(default_factory=list)
    bottom: list[dict[str, Any]] = field(default_factory=list)
    closings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, Any]:
        return self.report.figures if self.report else {}


def latest(store: Any, reader: Actor) -> reports.Report | None:
    """The newest stored weekly report as `reader` may read it, or None before the first."""
    stored = reports.list_reports(store)
    return reports.get(store, reports.Week.parse(stored[0].week)).seen_by(reader) if stored else None


def fdi_chart(fdi: dict[str, Any]) -> FdiChart:
    """This year's and last year's paid-in FDI, cumulative by month, and the year-end figure the target asks for."""
    months = fdi["monthly"]
    now, before = [m["this_year_usd"] for m in months], [m["last_year_usd"] for m in months]
    goal = fdi["projection"]["target_usd"]
    top = charts.highest([now, before], goal)
    drawn = charts.lines([now, before], FDI_BOX[0], FDI_BOX[1], top)
    return FdiChart(drawn[0], drawn[1], charts.level(goal, top, FDI_BOX[1]))


def stage_bars(pipeline: dict[str, Any]) -> list[dict[str, Any]]:
    """Leads by stage at the week's end, each with its bar."""
    counts = [(stage, pipeline["by_stage"][stage.value]) for stage in LEAD_STAGES if stage.value in pipeline["by_stage"]]
    drawn = charts.bars([c["value"] for _, c in counts], BAR_WIDTH)
    return [{"stage": stage, "count": count, "bar": bar} for (stage, count), bar in zip(counts, drawn)]


def ends(ranking: list[dict[str, Any]], n: int = ENDS) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The index's top and bottom `n` districts (the bottom lowest last), apart; none when no district scored,
    since a ranking of zeros names no leader."""
    if not any(r["score"] for r in ranking):
        return [], []
    top = ranking[:min(n, (len(ranking) + 1) // 2)]
    bottom = ranking[max(len(top), len(ranking) - n):]
    drawn = charts.bars([r["score"] for r in top + bottom], BAR_WIDTH)
    rows = [{**r, "bar": bar} for r, bar in zip(top + bottom, drawn)]
    return rows[:len(top)], rows[len(top):]


def leader_home(store: Any, reader: Actor) -> LeaderHome:
    report = latest(store, reader)
    if report is None:
        return LeaderHome(None)
    f = report.figures
    top, bottom = ends(f["districts"]["ranking"])
    points, _ = trend(store, None, until=report.week_end, weeks=TREND_WEEKS)
    return LeaderHome(report, points, fdi_chart(f["fdi"]), stage_bars(f["pipeline"]), top, bottom,
                      list(reversed(f["chains"]["closed"]))[:ENDS])
