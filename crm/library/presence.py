"""A firm's presence ending — it left, moved away, shut down or sold its plant — and its undoing.

The presence is kept, with `until` (the first day it no longer holds) and `end_reason`: every reading
as of a day (graph/validity.py) sees the firm there before `until` and gone from it, so the gap of a
link it made re-opens that day. Where it was the link's last local maker, a GapChange `reopened`
keeps the dated fact for the cockpit and the report. Staff and admins record an end; one recorded by
mistake is undone by re-opening the presence, which takes its GapChanges back.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from crm.base import memo, records
from crm.base.access import Actor, can_write, require
from crm.base.clock import local_today
from crm.choices import PRESENCE_END_REASONS
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.library.companies import Company, fetch
from graph.cypher import upsert_nodes
from graph.validity import holds, present

_PRESENCES = ("MATCH (:Company {id: $company})-[r:PRESENT_IN]->(:District {id: $district}) "
              "RETURN r.since AS since, r.until AS until, r.end_reason AS end_reason ORDER BY since")
# Links the firm made on its last day there that have no local maker left on `until`.
_LOST = ("MATCH (c:Company {id: $company})-[mk:MAKES]->(l:ChainNode) "
         f"WHERE {holds('mk', '$last_day')} "
         "AND NOT EXISTS { MATCH (o:Company)-[om:MAKES]->(l) "
         f"WHERE {holds('om', '$until')} AND {present('o', '$until')} }} "
         "RETURN DISTINCT l.id AS link ORDER BY link")


def end_problems(*, until: date | None, reason: str | None, since: date | None, ended_on: date | None,
                 today: date) -> dict[str, list[str]]:
    """Why an end cannot be recorded, by field: no date, one after today or not after the presence
    began, an unknown reason, or a presence that has already ended."""
    errors: dict[str, list[str]] = {}
    if reason not in PRESENCE_END_REASONS:
        errors["reason"] = [f"one of {', '.join(PRESENCE_END_REASONS.values)}"]
    if ended_on is not None:
        errors["until"] = [f"this presence already ended on {ended_on.isoformat()}"]
    elif until is None:
        errors["until"] = ["the first day the firm is no longer present is required"]
    elif until > today:
        errors["until"] = [f"{until.isoformat()} is after today ({today.isoformat()}): record an end once it has "
                           "happened"]
    elif since is not None and until <= since:
        errors["until"] = [f"must be after the presence began ({since.isoformat()})"]
    return errors


def _cause(company_id: str, district_id: str, until: date) -> str:
    return f"{company_id}@{district_id}:{until.isoformat()}"


def record_end(tx: Any, company_id: str, district_id: str, *, until: date, reason: str) -> list[str]:
    """Set `until` and `end_reason` on the open presence and keep a GapChange `reopened` for each link
    that lost its last local maker that day; returns those links. The caller has checked the input."""
    tx.run("MATCH (:Company {id: $company})-[r:PRESENT_IN]->(:District {id: $district}) WHERE r.until IS NULL "
           "SET r.until = $until, r.end_reason = $reason",
           {"company": company_id, "district": district_id, "until": until, "reason": reason})
    lost = [r["link"] for r in tx.run(_LOST, {"company": company_id, "until": until,
                                              "last_day": until - timedelta(days=1)})]
    cause = _cause(company_id, district_id, until)
    if lost:
        upsert_nodes(tx, "GapChange", [{"id": f"gap-reopened-{link}-{cause}", "link_id": link, "kind": "reopened",
                                        "changed_on": until, "project_id": None, "company_id": company_id,
                                        "reason": reason} for link in lost])
    return lost


def _presences(tx: Any, company_id: str, district_id: str) -> list[dict[str, Any]]:
    rows = tx.run(_PRESENCES, {"company": company_id, "district": district_id})
    if not rows:
        raise NotFound("Presence", f"{company_id} in {district_id}")
    return rows


def _log(tx: Any, company_id: str, district_id: str, change: tuple[Any, Any], *, actor: Actor, now: datetime,
         action: str) -> None:
    """The audit log says who changed which presence, and how (the caller holds the company's lock)."""
    tx.run("MATCH (c:Company {id: $id}) SET c.updated_at = $now", {"id": company_id, "now": now})
    records.audit(tx, actor, action, "Company", company_id, {f"presence {district_id}": change}, now)


def end_presence(store: Any, company_id: str, district_id: str, *, until: date | None, reason: str | None,
                 actor: Actor, now: datetime, expected_version: int | None = None) -> Company:
    """Record that the firm is no longer present in the district from `until`, and why."""
    require(can_write(actor), "record that a firm left a district")
    today = local_today(now)

    def work(tx: Any) -> None:
        records.lock(tx, "Company", company_id, expected_version)
        rows = _presences(tx, company_id, district_id)
        standing = [r for r in rows if r["until"] is None]
        problems = end_problems(until=until, reason=reason, since=standing[-1]["since"] if standing else None,
                                ended_on=None if standing else max(r["until"] for r in rows), today=today)
        if problems or until is None or reason is None:
            raise ValidationFailed(problems)
        lost = record_end(tx, company_id, district_id, until=until, reason=reason)
        _log(tx, company_id, district_id, (None, {"until": until.isoformat(), "end_reason": reason,
                                                  "reopened_links": lost}), actor=actor, now=now,
             action="end_presence")

    store.transaction(work)
    memo.forget_all()
    return fetch(store, company_id, today=today)


def reopen_presence(store: Any, company_id: str, district_id: str, *, actor: Actor, now: datetime,
                    expected_version: int | None = None) -> Company:
    """Undo an end recorded by mistake: the presence holds again and its GapChanges are taken back."""
    require(can_write(actor), "re-open a firm's presence")

    def work(tx: Any) -> None:
        records.lock(tx, "Company", company_id, expected_version)
        rows = _presences(tx, company_id, district_id)
        if any(r["until"] is None for r in rows):
            raise Conflict(f"{company_id} is present in {district_id}: there is no ended presence to re-open")
        ended = max(rows, key=lambda r: r["until"])
        tx.run("MATCH (:Company {id: $company})-[r:PRESENT_IN]->(:District {id: $district}) "
               "WHERE r.until = $until SET r.until = NULL, r.end_reason = NULL",
               {"company": company_id, "district": district_id, "until": ended["until"]})
        tx.run("MATCH (g:GapChange) WHERE g.kind = 'reopened' AND g.company_id = $company "
               "AND g.changed_on = $until AND g.id ENDS WITH $cause DETACH DELETE g",
               {"company": company_id, "until": ended["until"],
                "cause": "-" + _cause(company_id, district_id, ended["until"])})
        _log(tx, company_id, district_id, ({"until": ended["until"].isoformat(), "end_reason": ended["end_reason"]},
                                           None), actor=actor, now=now, action="reopen_presence")

    store.transaction(work)
    memo.forget_all()
    return fetch(store, company_id, today=local_today(now))
