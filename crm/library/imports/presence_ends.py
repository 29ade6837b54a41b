"""Presence ends in the companies file: `present_until` and `end_reason` for districts of `present_in`.

A firm that left a district is imported with the first day it was gone and why (exit, relocation,
shutdown, sale). The presence is kept with `until` and `end_reason`, and the gap of a link it was the
last local maker of re-opens that day, exactly as when staff record it (crm/library/presence.py).
An ended presence stays on the division of its last day: a firm that left 渝北区 in 2024 left 渝北区,
not 两江新区, which did not exist yet. Re-importing the same end writes nothing; a different end for
a presence that has already ended is a problem in the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable

from crm.base.access import Actor
from crm.base.records import audit
from crm.choices import PRESENCE_END_REASONS
from crm.library.imports import cells
from crm.library.imports.columns import Column
from crm.library.imports.problems import Problem, quoted
from crm.library.imports.references import References
from crm.library.presence import end_problems, record_end

COLUMNS = (
    Column("present_until", cells.keyed(cells.day),
           "Presences that ended: `district=first day gone`, separated by `;` (`渝北区=2024-03-10`), each district "
           "also in `present_in`. The gap of a link it was the last local maker of re-opens that day."),
    Column("end_reason", cells.keyed(cells.choice(PRESENCE_END_REASONS.spellings())),
           "Why each ended presence ended: `district=reason` (`渝北区=relocation`), or one reason for all; "
           "`exit`, `relocation`, `shutdown` or `sale` (also 撤资退出, 迁出重庆, 停产关闭, 出售工厂)."),
)


@dataclass(frozen=True)
class PresenceEnd:
    """`moved_to`: where an earlier import may have put this presence (the district's successors, which
    the row does not name as present): found there, it is moved back to the division of its last day."""
    district_id: str
    until: date
    reason: str
    moved_to: tuple[str, ...] = ()


def _successors(refs: References, code: str) -> list[str]:
    out: list[str] = []
    while refs.districts[code].successor in refs.districts and refs.districts[code].successor not in out + [code]:
        code = refs.districts[code].successor or code
        out.append(code)
    return out


def validate_ends(values: dict[str, Any], present: list[str], resolve: Callable[[str], str | None],
                  refs: References, problem: Callable[[str, str], None]) -> list[PresenceEnd]:
    """The row's ended presences from its two cells; `present` holds the divisions `present_in` names and
    `resolve` finds the division a cell names (a code or a name)."""
    until = values.get("present_until", [])
    reasons = values.get("end_reason", [])
    if reasons and not until:
        problem("end_reason", "is given, but present_until names no ended presence")
    shared = [r for k, r in reasons if k is None]
    by_place = {resolve(k) or k: r for k, r in reasons if k is not None}
    out: list[PresenceEnd] = []
    gone = {resolve(place) for place, _ in until if place}
    for place, day in until:
        if place is None:
            problem("present_until", f"{quoted(str(day))} needs its district: `district=date`")
            continue
        code = resolve(place)
        if code is None or code not in present:
            problem("present_until", f"{quoted(place)} is not in present_in: list the district there too")
            continue
        reason = by_place.get(code) or (shared[0] if shared else None)
        errors = end_problems(until=day, reason=reason, since=None, ended_on=None, today=refs.today or day)
        for field, messages in errors.items():
            column = "present_until" if field == "until" else "end_reason"
            problem(column, f"{quoted(place)}: {'; '.join(messages)}")
        if not errors and isinstance(day, date) and reason is not None:
            last = refs.district_on(code, day - timedelta(days=1))
            staying = {refs.current_district(c) for c in present if resolve(c) not in gone}
            out.append(PresenceEnd(last, day, str(reason),
                                   tuple(c for c in _successors(refs, last) if c not in staying)))
    return out


_STORED = ("UNWIND $rows AS r MATCH (:Company {id: r.company})-[p:PRESENT_IN]->(d:District) WHERE d.id IN r.places "
           "RETURN r.company AS company, r.district AS district, d.id AS place, p.since AS since, p.until AS until, "
           "p.end_reason AS end_reason")


def plan_ends(store: Any, file: str, ends: list[tuple[int, str, PresenceEnd]]) -> tuple[list[tuple[str, PresenceEnd]],
                                                                                   list[Problem]]:
    """Which ends change the store, and the problems the stored presences raise (a different end
    recorded before, an end not after the presence began). `ends` holds (row, company id, end)."""
    if not ends:
        return [], []
    stored: dict[tuple[str, str], list[dict[str, Any]]] = {}
    rows = [{"company": c, "district": e.district_id, "places": [e.district_id, *e.moved_to]} for _, c, e in ends]
    for r in store.read(_STORED, {"rows": rows}):
        if r["place"] == r["district"] or r["until"] is None:
            stored.setdefault((r["company"], r["district"]), []).append(r)
    todo, problems = [], []
    for row, company, end in ends:
        found = stored.get((company, end.district_id), [])
        if any(r["until"] == end.until and r["end_reason"] == end.reason for r in found):
            continue
        standing = [r for r in found if r["until"] is None]
        if found and not standing:
            last = max(r["until"] for r in found)
            problems.append(Problem(file, row, "present_until", f"{end.district_id}: this presence already ended "
                                                                f"on {last.isoformat()}"))
        elif standing and standing[-1]["since"] is not None and end.until <= standing[-1]["since"]:
            problems.append(Problem(file, row, "present_until", f"{end.district_id}: must be after the presence "
                                                                f"began ({standing[-1]['since'].isoformat()})"))
        else:
            todo.append((company, end))
    return todo, problems


def apply_ends(store: Any, ends: list[tuple[str, PresenceEnd]], *, actor: Actor, now: datetime) -> None:
    """Each end in its own transaction, with its audit entry (a presence the file names for the first
    time is recorded as it was: present, then gone)."""
    for company, end in ends:
        def work(tx: Any, company: str = company, end: PresenceEnd = end) -> None:
            params = {"company": company, "district": end.district_id, "moved": list(end.moved_to)}
            if not tx.run("MATCH (:Company {id: $company})-[p:PRESENT_IN]->(:District {id: $district}) "
                          "WHERE p.until IS NULL RETURN 1 AS open", params):
                moved = tx.run("MATCH (:Company {id: $company})-[p:PRESENT_IN]->(d:District) "
                               "WHERE p.until IS NULL AND d.id IN $moved "
                               "RETURN d.id AS place, p.since AS since, p.entity_name AS entity_name, "
                               "p.source AS source, p.source_project AS source_project ORDER BY place LIMIT 1", params)
                kept = {k: v for k, v in (moved[0] if moved else {}).items() if k != "place"}
                if moved:
                    tx.run("MATCH (:Company {id: $company})-[p:PRESENT_IN]->(d:District {id: $place}) "
                           "WHERE p.until IS NULL DELETE p", {**params, "place": moved[0]["place"]})
                tx.run("MATCH (c:Company {id: $company}) MATCH (d:District {id: $district}) "
                       "CREATE (c)-[p:PRESENT_IN]->(d) SET p.since = $since, p.entity_name = $entity_name, "
                       "p.source = $source, p.source_project = $source_project",
                       {**params, **{k: kept.get(k) for k in ("since", "entity_name", "source", "source_project")}})
            lost = record_end(tx, company, end.district_id, until=end.until, reason=end.reason)
            audit(tx, actor, "end_presence", "Company", company,
                  {f"presence {end.district_id}": (None, {"until": end.until.isoformat(), "end_reason": end.reason,
                                                          "reopened_links": lost})}, now)

        store.transaction(work)
