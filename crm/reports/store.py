"""Stored reports: one Report node per week with its figures as JSON, frozen when generated.

Every format renders from the stored figures, never from the live graph, so last week's report
reads the same after the data change. A week's report is replaced only when regeneration is
asked for; the check and the write share one transaction, so two people generating the same week
at once get one report and one Conflict.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor
from crm.errors import Conflict, NotFound
from crm.reports.scope import for_reader
from crm.reports.weeks import Week
from graph.cypher import read_with

_SUMMARY = ("r.id AS id, r.week AS week, r.week_start AS week_start, r.generated_at AS generated_at, "
            "r.generated_by AS generated_by, r.synthetic AS synthetic")


@dataclass
class Report:
    week: str
    week_start: date
    generated_at: datetime
    generated_by: str | None = None
    synthetic: bool = False
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def week_end(self) -> date:
        return Week.parse(self.week).end

    def seen_by(self, reader: Actor) -> "Report":
        """The report as `reader` may read it: what every format serves (crm/reports/scope.py)."""
        return replace(self, figures=for_reader(self.figures, reader))

    @classmethod
    def from_row(cls, row: dict[str, Any], figures: str | None = None) -> "Report":
        return cls(week=row["week"], week_start=row["week_start"], generated_at=row["generated_at"],
                   generated_by=row.get("generated_by"), synthetic=bool(row.get("synthetic")),
                   figures=json.loads(figures) if figures else {})


def exists(reader: Any, week: Week) -> bool:
    run = read_with(reader)
    return bool(run("MATCH (r:Report {id: $id}) RETURN r.id AS id", {"id": week.id}))


def save(store: Any, week: Week, figures: dict[str, Any], *, actor: Actor, now: datetime, regenerate: bool,
         synthetic: bool = False) -> Report:
    """Store the week's report; an existing one is replaced only when `regenerate` (else Conflict)."""
    text = json.dumps(figures, ensure_ascii=False)

    def work(tx: Any) -> None:
        old = tx.run("MATCH (r:Report {id: $id}) RETURN r.generated_at AS at", {"id": week.id})
        if old and not regenerate:
            raise Conflict(f"the report for {week.id} was generated at {old[0]['at'].isoformat()}; "
                           "ask for regeneration to replace it")
        tx.run("MERGE (r:Report {id: $id}) SET r.week = $id, r.week_start = $start, r.generated_at = $now, "
               "r.generated_by = $by, r.synthetic = $synthetic, r.figures = $figures",
               {"id": week.id, "start": week.start, "now": now, "by": actor.username, "synthetic": synthetic,
                "figures": text})
        records.audit(tx, actor, "regenerate" if old else "generate", "Report", week.id,
                      {"generated_at": (old[0]["at"] if old else None, now)}, now)

    store.transaction(work)
    return Report(week.id, week.start, now, actor.username, synthetic, json.loads(text))


def get(store: Any, week: Week) -> Report:
    rows = store.read(f"MATCH (r:Report {{id: $id}}) RETURN {_SUMMARY}, r.figures AS figures", {"id": week.id})
    if not rows:
        raise NotFound("Report", week.id)
    return Report.from_row(rows[0], rows[0]["figures"])


def list_reports(store: Any) -> list[Report]:
    """Every stored report without its figures, newest week first."""
    rows = store.read(f"MATCH (r:Report) RETURN {_SUMMARY} ORDER BY r.week_start DESC")
    return [Report.from_row(r) for r in rows]
