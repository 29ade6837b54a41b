"""A week's report as one JSON-ready mapping, computed from a `ReportData` alone (no store, no clock).

The figures are language-neutral (ids, both names, numbers, codes): each format words them for
its reader, and the stored figures render the same report years later. `VERSION` changes when
the shape does, so an old stored report is still read the way it was written.
"""
from __future__ import annotations

from typing import Any

from crm.reports import kpis
from crm.reports.activity import district_figures
from crm.reports.chains import chain_figures
from crm.reports.common import jsonable
from crm.reports.fdi import fdi_figures
from crm.reports.loading import ReportData
from crm.reports.workload import event_figures, people_figures
from crm.reports.pipeline import pipeline_figures
from crm.reports.rewards import incentive_figures
from crm.reports.settings import ReportPolicy

VERSION = 2  # 2: rows name their scope (closed gaps, rewarded projects, candidates' leads)
SECTIONS = ("pipeline", "fdi", "chains", "districts", "people", "events", "incentives")


def target_kinds(policy: dict[str, Any]) -> set[str]:
    """The inflow kinds the plan's FDI target counts (loans excluded), from policy `fdi_measures`."""
    target, defined = kpis.measures(policy)
    return set(defined[target]["kinds"])


def compute(data: ReportData, settings: ReportPolicy, policy: dict[str, Any]) -> dict[str, Any]:
    week = data.week
    fdi = fdi_figures(data.flows, week=week, policy=policy)
    figures = {
        "version": VERSION, "week": week.id, "week_start": week.start, "week_end": week.end, "year": data.year,
        "previous_week": week.previous.id, "generated_at": data.generated_at,
        "pipeline": pipeline_figures(data, max_rows=settings.max_rows),
        "fdi": fdi,
        "chains": chain_figures(data, gap_actions=settings.gap_actions, max_rows=settings.max_rows),
        "districts": district_figures(data, settings.index, target_kinds(policy)),
        "people": people_figures(data),
        "events": event_figures(data, weeks=settings.upcoming_event_weeks),
        "incentives": incentive_figures(data, policy=policy, max_rows=settings.max_rows),
        "warnings": fdi["warnings"],
    }
    return jsonable(figures)
