"""The district activity index 招商活跃指数 (四（四）; requirements M1): one score per district and
zone each week, from its promotion work and results, ranked, with the change from last week.

    index = 100 × Σ_c weight_c × normalised_c

Each component c is normalised across the week's districts: `max` divides by the highest
district's value (the leader in a component gets 1), `share` by the city total; a component no
district has scores 0 everywhere. The positive weights sum to 1 and overdue work carries a
negative weight, so the index runs from −100·|w_overdue| to 100. Weights come from policy.

>>> from crm.reports.settings import IndexPolicy
>>> p = IndexPolicy({"followups_done": 1.0, "visits": 0, "new_leads": 0, "signings": 0, "paid_in_fdi": 0,
...                  "overdue": -0.5}, "max", ("visit",))
>>> [(r["district_id"], r["score"]) for r in activity_index({"a": {"followups_done": 4, "overdue": 2},
...                                                          "b": {"followups_done": 3}}, p)]
[('b', 75.0), ('a', 50.0)]
"""
from __future__ import annotations

from datetime import date
from typing import Any

from crm.reports.kpis import FlowFact
from crm.reports.common import named, names
from crm.reports.loading import ReportData
from crm.reports.settings import COMPONENTS, IndexPolicy
from crm.reports.weeks import Week


def activity_index(values: dict[str, dict[str, float]], policy: IndexPolicy) -> list[dict[str, Any]]:
    """Score and rank districts from their raw component values; ties go by district id."""
    scale = {}
    for c in COMPONENTS:
        column = [float(v.get(c, 0)) for v in values.values()]
        scale[c] = (max(column, default=0.0) if policy.normalisation == "max" else sum(column))
    rows: list[dict[str, Any]] = []
    for district, raw in values.items():
        parts = {}
        for c in COMPONENTS:
            value = float(raw.get(c, 0))
            normalised = value / scale[c] if scale[c] else 0.0
            parts[c] = {"value": raw.get(c, 0), "normalised": round(normalised, 4),
                        "points": round(100 * policy.weights[c] * normalised, 2) + 0.0}
        score = round(sum(100 * policy.weights[c] * (float(raw.get(c, 0)) / scale[c] if scale[c] else 0.0)
                          for c in COMPONENTS), 2)
        rows.append({"district_id": district, "score": score + 0.0, "components": parts})
    rows.sort(key=lambda r: (-r["score"], r["district_id"]))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


def _in_force(row: dict[str, Any], week: Week) -> bool:
    starts, ends = row.get("valid_from"), row.get("valid_to")
    return (starts is None or starts <= week.end) and (ends is None or ends > week.start)


def _paid_in(flows: list[FlowFact], kinds: set[str], first: date, last: date) -> dict[str | None, int]:
    out: dict[str | None, int] = {}
    for f in flows:
        if f.kind in kinds and first <= f.received_on <= last:
            out[f.district_id] = out.get(f.district_id, 0) + f.amount_usd
    return out


def components(data: ReportData, target_kinds: set[str], *, this: bool) -> dict[str | None, dict[str, float]]:
    """Each district's raw components for the report week (`this`) or the week before."""
    week = data.week if this else data.week.previous
    out: dict[str | None, dict[str, float]] = {}

    def put(district: str | None, name: str, value: float) -> None:
        out.setdefault(district, {c: 0 for c in COMPONENTS})[name] += value

    for name, counts in (("followups_done", data.done_by_district), ("visits", data.visits_by_district)):
        for district, n in (counts.this if this else counts.before).items():
            put(district, name, n)
    for c in data.changes:
        if c["from_stage"] is None and week.start_at <= c["at"] < week.end_at:
            put(c["district_id"], "new_leads", 1)
    for s in data.signings:
        if week.start <= s["signed_on"] <= week.end:
            put(s["district_id"], "signings", 1)
    for district, usd in _paid_in(data.flows, target_kinds, week.start, week.end).items():
        put(district, "paid_in_fdi", usd)
    for district, n in (data.overdue_by_district.this if this else data.overdue_by_district.before).items():
        put(district, "overdue", n)
    return out


def district_figures(data: ReportData, policy: IndexPolicy, target_kinds: set[str]) -> dict[str, Any]:
    """Districts in force that week (and any other with activity), ranked, against last week."""
    lookup = named(data.districts)
    now, before = components(data, target_kinds, this=True), components(data, target_kinds, this=False)
    ids = {d["id"] for d in data.districts if _in_force(d, data.week)} | {k for k in (*now, *before) if k}
    current = activity_index({d: now.get(d, {}) for d in ids}, policy)
    previous = {r["district_id"]: r for r in activity_index({d: before.get(d, {}) for d in ids}, policy)}
    for row in current:
        last = previous[row["district_id"]]
        row.update(names(lookup.get(row["district_id"]), row["district_id"]),
                   kind=(lookup.get(row["district_id"]) or {}).get("kind"), previous_score=last["score"],
                   previous_rank=last["rank"], change=round(row["score"] - last["score"], 2))
    return {"weights": dict(policy.weights), "normalisation": policy.normalisation,
            "visit_kinds": list(policy.visit_kinds), "ranking": current,
            "unplaced": {c: v for c, v in now.get(None, {}).items() if v}}
