"""A firm's presence in a district ends too (issue 14): it stops production, sells its plant or moves
away. Ending it is a dated act with a reason; the gap its links leave re-opens from that day.

An ended presence is moved from PRESENT_IN to WAS_PRESENT_IN (with `until`, the first day it no
longer holds, and the reason), so every reading of "local today" stays a plain PRESENT_IN match,
and history (scoring/projection.py as of a date) reads both. A mistaken ending is undone by
restoring the presence.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from crm.base import memo, records
from crm.base.access import Actor, can_write, require
from crm.base.clock import local_today
from crm.choices import PRESENCE_END_REASONS
from crm.errors import Conflict, NotFound, ValidationFailed

_REST = ("r.since AS since, r.entity_name AS entity_name, r.source AS source, r.sources AS sources, "
         "r.source_date AS source_date, r.source_project AS source_project")
# The links the company makes that no firm made locally on $day: presences held that day, ended or not
# (run after the company's own presence was ended on $day, so it no longer counts).
_ORPHANED = ("MATCH (:Company {id: $c})-[:MAKES]->(l:ChainNode) "
             "WHERE NOT EXISTS { MATCH (o:Company)-[:MAKES]->(l) "
             "WHERE EXISTS { MATCH (o)-[p:PRESENT_IN]->(:District) WHERE p.since IS NULL OR p.since <= $day } "
             "OR EXISTS { MATCH (o)-[w:WAS_PRESENT_IN]->(:District) "
             "WHERE (w.since IS NULL OR w.since <= $day) AND w.until > $day } } "
             "RETURN l.id AS link ORDER BY link")


_CITED = ", {r}.sources = $sources, {r}.source_date = $source_date"


def _cited(held: dict[str, Any]) -> dict[str, Any]:
    """A presence's citations and their day, moved with it (an empty list binds untyped on Ladybug: null)."""
    return {"sources": list(held["sources"] or []) or None, "source_date": held["source_date"]}


def end_presence(store: Any, company_id: str, district_id: str, *, until: date | None, reason: str | None,
                 actor: Actor, now: datetime) -> list[str]:
    """End the company's presence in the district from `until`; returns the links whose gap re-opened."""
    require(can_write(actor), "change companies in the library")
    errors: dict[str, list[str]] = {}
    if reason not in PRESENCE_END_REASONS:
        errors["reason"] = [f"must be one of {', '.join(PRESENCE_END_REASONS.values)}"]
    if until is None:
        errors["until"] = ["required"]
    elif until > local_today(now):
        errors["until"] = [f"cannot be in the future (today is {local_today(now).isoformat()} in Chongqing)"]
    if errors or until is None or reason is None:
        raise ValidationFailed(errors)
    day, why = until, reason
    reopened = store.transaction(lambda tx: record_end(tx, company_id, district_id, until=day, reason=why,
                                                       actor=actor, now=now))
    memo.forget_all()
    return reopened


def record_end(tx: Any, company_id: str, district_id: str, *, until: date, reason: str, actor: Actor,
               now: datetime) -> list[str]:
    """Move the presence to WAS_PRESENT_IN, keep a GapChange 'reopened' for each link left without a local
    maker, and audit it, in the caller's transaction (the service and the companies import); returns
    those links. A presence that ended already, or one not after its `since`, is refused."""
    rows = tx.run("MATCH (:Company {id: $c})-[r:PRESENT_IN]->(:District {id: $d}) RETURN " + _REST,
                  {"c": company_id, "d": district_id})
    if not rows:
        ended = tx.run("MATCH (:Company {id: $c})-[r:WAS_PRESENT_IN]->(:District {id: $d}) "
                       "RETURN max(r.until) AS until", {"c": company_id, "d": district_id})
        if ended and ended[0]["until"] is not None:
            raise ValidationFailed({"until": [f"this presence already ended on {ended[0]['until'].isoformat()}"]})
        raise NotFound("Presence", f"{company_id} in {district_id}")
    held = rows[0]
    if held["since"] is not None and until <= held["since"]:
        raise ValidationFailed({"until": [f"must be after the presence began ({held['since'].isoformat()})"]})
    tx.run("MATCH (:Company {id: $c})-[r:PRESENT_IN]->(:District {id: $d}) DELETE r",
           {"c": company_id, "d": district_id})
    tx.run("MATCH (c:Company {id: $c}) MATCH (d:District {id: $d}) CREATE (c)-[w:WAS_PRESENT_IN]->(d) "
           "SET w.since = $since, w.until = $until, w.end_reason = $reason, w.entity_name = $entity, "
           "w.source = $source, w.source_project = $project" + _CITED.format(r="w"),
           {"c": company_id, "d": district_id, "since": held["since"], "until": until, "reason": reason,
            "entity": held["entity_name"], "source": held["source"], "project": held["source_project"],
            **_cited(held)})
    reopened = [r["link"] for r in tx.run(_ORPHANED, {"c": company_id, "day": until})]
    for link in reopened:
        records.create(tx, "GapChange", {"link_id": link, "kind": "reopened", "day": until,
                                         "company_id": company_id, "district_id": district_id},
                       actor=actor, now=now, prefix="gap")
    records.audit(tx, actor, "presence_end", "Company", company_id,
                  {"present_in": (district_id, None), "until": (None, until), "reason": (None, reason)}, now)
    return reopened


def restore_presence(store: Any, company_id: str, district_id: str, *, actor: Actor, now: datetime) -> None:
    """Undo a mistaken ending: the latest ended presence in the district holds again."""
    require(can_write(actor), "change companies in the library")

    def work(tx: Any) -> None:
        if tx.run("MATCH (:Company {id: $c})-[r:PRESENT_IN]->(:District {id: $d}) RETURN count(r) AS n",
                  {"c": company_id, "d": district_id})[0]["n"]:
            raise Conflict(f"{company_id} is present in {district_id}: there is no ended presence to restore")
        rows = tx.run("MATCH (:Company {id: $c})-[r:WAS_PRESENT_IN]->(:District {id: $d}) "
                      "RETURN r.until AS until, " + _REST + " ORDER BY until DESC LIMIT 1",
                      {"c": company_id, "d": district_id})
        if not rows:
            raise NotFound("Ended presence", f"{company_id} in {district_id}")
        held = rows[0]
        tx.run("MATCH (:Company {id: $c})-[r:WAS_PRESENT_IN]->(:District {id: $d}) WHERE r.until = $until DELETE r",
               {"c": company_id, "d": district_id, "until": held["until"]})
        tx.run("MATCH (c:Company {id: $c}) MATCH (d:District {id: $d}) CREATE (c)-[r:PRESENT_IN]->(d) "
               "SET r.since = $since, r.entity_name = $entity, r.source = $source, r.source_project = $project"
               + _CITED.format(r="r"),
               {"c": company_id, "d": district_id, "since": held["since"], "entity": held["entity_name"],
                "source": held["source"], "project": held["source_project"], **_cited(held)})
        tx.run("MATCH (g:GapChange) WHERE g.kind = 'reopened' AND g.company_id = $c AND g.district_id = $d "
               "AND g.day = $until DETACH DELETE g", {"c": company_id, "d": district_id, "until": held["until"]})
        records.audit(tx, actor, "presence_restore", "Company", company_id, {"present_in": (None, district_id)}, now)

    store.transaction(work)
    memo.forget_all()


def ended_presences(reader: Any, company_id: str) -> list[dict[str, Any]]:
    """The company's presences that ended, newest first."""
    return reader.read("MATCH (:Company {id: $c})-[r:WAS_PRESENT_IN]->(d:District) RETURN d.id AS district_id, "
                       "d.name_zh AS name_zh, d.name_en AS name_en, r.since AS since, r.until AS until, "
                       "r.end_reason AS reason ORDER BY until DESC", {"c": company_id})
