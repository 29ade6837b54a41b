"""Presences the companies file ends (`presence_ended`) while the store holds them as present.

They end as staff end them (crm/library/presence.py): moved to WAS_PRESENT_IN, the gap of a link the
firm was the last local maker of re-opened that day (a GapChange), each audited. Written beside the
presence as a second relationship, they would leave the firm local. An end the store does not hold
as present is history and is imported as a WAS_PRESENT_IN row like any other relationship.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm.base.access import Actor
from crm.library.imports.matching import Planned
from crm.library.imports.problems import Problem
from crm.library.presence import record_end

_PRESENT = ("UNWIND $rows AS r MATCH (:Company {id: r.c})-[p:PRESENT_IN]->(:District {id: r.d}) "
            "RETURN r.c AS c, r.d AS d, p.since AS since")


@dataclass(frozen=True)
class Ending:
    company_id: str
    district_id: str
    until: date
    reason: str


def stored_ends(store: Any, file: str, planned: list[Planned]) -> tuple[list[Ending], list[Problem]]:
    """The file's ends of presences the store holds, and a problem for each that is not after its `since`."""
    wanted = {(p.id, code): (p.row.row, until, reason) for p in planned for code, until, reason in p.row.ended}
    if not wanted:
        return [], []
    ends, problems = [], []
    for r in store.read(_PRESENT, {"rows": [{"c": c, "d": d} for c, d in wanted]}):
        row, until, reason = wanted[(r["c"], r["d"])]
        if r["since"] is not None and until <= r["since"]:
            problems.append(Problem(file, row, "presence_ended", f"{r['d']}: must be after the presence began "
                                                                 f"({r['since'].isoformat()})"))
        else:
            ends.append(Ending(r["c"], r["d"], until, reason))
    return sorted(ends, key=lambda e: (e.company_id, e.district_id)), problems


def apply_ends(store: Any, ends: list[Ending], *, actor: Actor, now: datetime) -> None:
    """Each end in its own transaction, as the service makes it."""
    for end in ends:
        store.transaction(lambda tx, e=end: record_end(tx, e.company_id, e.district_id, until=e.until,
                                                       reason=e.reason, actor=actor, now=now))
