"""The pipeline section: leads by stage, the week's new leads, advances, drops and signings, in all
and by chain and district, each against the week before.

Definitions (docs/report.md): leads by stage at a week's end are replayed from the stage history
(each StageChange adds one to its `to_stage` and takes one from its `from_stage`); a new lead is
a change with no `from_stage`; an advance is a forward move along identified → contacted →
visited → negotiating → signed; a drop is a move to dropped; a signing is a project whose
signing date falls in the week, with its contracted FDI. Stalled projects are those the rules of
crm/projects/stalls.py flag at the week's end, with their reasons.
"""
from __future__ import annotations

from typing import Any, Iterable

from crm.choices import LEAD_STAGES
from crm.pipeline.stages import OPEN_STAGES, ORDER
from crm.reports.common import local_day, named, names, pair
from crm.reports.loading import ReportData

METRICS = ("new_leads", "advances", "drops", "signings", "contracted_fdi_usd")


def is_advance(before: str | None, after: str | None) -> bool:
    return before in ORDER and after in ORDER and ORDER.index(after) > ORDER.index(before)


def stage_counts(totals: Iterable[dict[str, Any]], group: str | None = None) -> dict[Any, dict[str, list[int]]]:
    """{group value: {stage: [at the week's end, at the previous week's end]}} from aggregated history."""
    out: dict[Any, dict[str, list[int]]] = {}
    for row in totals:
        stages = out.setdefault(row[group] if group else None, {s: [0, 0] for s in LEAD_STAGES.values})
        for stage, sign in ((row["to_stage"], 1), (row["from_stage"], -1)):
            if stage in stages:
                stages[stage][0] += sign * row["n"]
                stages[stage][1] += sign * row["n_before"]
    return out


def _tally(data: ReportData, group: str | None) -> dict[Any, dict[str, list[int]]]:
    """{group value: {metric: [this week, last week]}} of the week's stage moves and signings."""
    week = data.week
    out: dict[Any, dict[str, list[int]]] = {}

    def add(key: Any, metric: str, this: bool, amount: int = 1) -> None:
        slot = out.setdefault(key, {m: [0, 0] for m in METRICS})
        slot[metric][0 if this else 1] += amount

    for c in data.changes:
        this = c["at"] >= week.start_at
        key = c[group] if group else None
        if c["from_stage"] is None:
            add(key, "new_leads", this)
        elif is_advance(c["from_stage"], c["to_stage"]):
            add(key, "advances", this)
        if c["to_stage"] == "dropped":
            add(key, "drops", this)
    for s in data.signings:
        this = s["signed_on"] >= week.start
        key = s[group] if group else None
        add(key, "signings", this)
        add(key, "contracted_fdi_usd", this, int(s["contracted_fdi_usd"] or 0))
    return out


def _rows(data: ReportData, group: str, lookup: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    stages, tally = stage_counts(data.stage_totals, group), _tally(data, group)
    rows = []
    for key in sorted(set(stages) | set(tally), key=lambda k: (k is None, k or "")):
        counts = stages.get(key, {})
        open_now = [sum(counts.get(s, [0, 0])[i] for s in OPEN_STAGES) for i in (0, 1)]
        metrics = tally.get(key, {m: [0, 0] for m in METRICS})
        if not any(open_now) and not any(v for m in metrics.values() for v in m):
            continue
        rows.append({"id": key, **names(lookup.get(key), key), "open": pair(*open_now),
                     **{m: pair(*metrics[m]) for m in METRICS}})
    return rows


def pipeline_figures(data: ReportData, *, max_rows: int) -> dict[str, Any]:
    week, users = data.week, named(data.users)
    totals = stage_counts(data.stage_totals).get(None, {s: [0, 0] for s in LEAD_STAGES.values})
    tally = _tally(data, None).get(None, {m: [0, 0] for m in METRICS})
    drops = sorted((c for c in data.changes if c["to_stage"] == "dropped" and c["at"] >= week.start_at),
                   key=lambda c: (c["at"], c["lead_id"]))
    signed = sorted((s for s in data.signings if s["signed_on"] >= week.start),
                    key=lambda s: (s["signed_on"], s["project_id"]))
    return {
        "by_stage": {stage: pair(*totals[stage]) for stage in LEAD_STAGES.values},
        "open": pair(*[sum(totals[s][i] for s in OPEN_STAGES) for i in (0, 1)]),
        "week": {m: pair(*tally[m]) for m in METRICS},
        "by_chain": _rows(data, "chain_id", named(data.chains)),
        "by_district": _rows(data, "district_id", named(data.districts)),
        "drops_total": len(drops),
        "drops": [{"lead_id": c["lead_id"], "title": c["title"], "from_stage": c["from_stage"],
                   "reason": c["reason"], "on": local_day(c["at"]), "chain_id": c["chain_id"],
                   "district_id": c["district_id"], "owner": (users.get(c["owner_id"]) or {}).get("name")}
                  for c in drops[:max_rows]],
        "stalled_total": len(data.stalled),
        "stalled": [{**row, "owner": (users.get(row["owner_id"]) or {}).get("name")} for row in data.stalled[:max_rows]],
        "signings_total": len(signed),
        "signings": [{k: s[k] for k in ("project_id", "name", "kind", "signed_on", "contracted_fdi_usd", "chain_id",
                                        "district_id", "company_name_zh", "company_name_en")}
                     for s in signed[:max_rows]],
    }
