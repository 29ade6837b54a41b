"""What events brought in (requirements P3, M2): leads sourced at each event, leads met there, and
the signings and contracted FDI of the leads it sourced, for the weekly report.

A lead is attributed to the event it was SOURCED_AT (one event at most, so nothing is counted
twice across events); meetings HELD_AT an event count the distinct leads met, whatever their source.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from crm.events import events
from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.base.workdays import at_local


@dataclass
class EventAttribution:
    event_id: str
    name_zh: str
    kind: str | None
    start_on: date | None
    meetings: int
    leads_met: int
    leads_sourced: int
    signings: int
    contracted_fdi_usd: int


def event_attribution(store: Any, *, start_from: date | None = None, start_to: date | None = None,
                      event_ids: list[str] | None = None, through: date | None = None) -> list[EventAttribution]:
    """Per event (optionally within start dates or ids): meetings, leads met and sourced, signings; with
    `through`, only what had happened by the end of that day (a past week's report reads as it did then)."""
    where: list[str] = ["coalesce(e.archived, false) = false"]
    params: dict[str, Any] = {}
    signed = done = ""
    if through is not None:
        signed, done = "WHERE p.signed_on <= $through ", "AND f.done_at < $until "
        params.update(through=through, until=at_local(through + timedelta(days=1), 0))
    if start_from is not None:
        where.append("e.start_on >= $start_from")
        params["start_from"] = start_from
    if start_to is not None:
        where.append("e.start_on <= $start_to")
        params["start_to"] = start_to
    if event_ids is not None:
        where.append("e.id IN $ids")
        params["ids"] = list(event_ids)
    rows = store.read(
        "MATCH (e:Event) WHERE " + " AND ".join(where) + " "
        "OPTIONAL MATCH (l:Lead)-[:SOURCED_AT]->(e) WHERE l.archived = false "
        "OPTIONAL MATCH (l)-[:BECAME]->(p:Project) " + signed +
        "WITH e, count(DISTINCT l) AS sourced, count(DISTINCT p) AS signings, "
        "sum(coalesce(p.contracted_fdi_usd, 0)) AS fdi "
        "RETURN e.id AS event_id, e.name_zh AS name_zh, e.kind AS kind, e.start_on AS start_on, sourced, signings, "
        "fdi, COUNT { MATCH (f:FollowUp)-[:HELD_AT]->(e) WHERE f.status = 'done' " + done + "} AS meetings "
        "ORDER BY start_on, event_id", params)
    met = {r["id"]: r["n"] for r in store.read(
        "MATCH (f:FollowUp)-[:HELD_AT]->(e:Event) WHERE f.status = 'done' " + done +
        "MATCH (f)-[:ABOUT]->(l:Lead) RETURN e.id AS id, count(DISTINCT l) AS n", params)}
    return [EventAttribution(r["event_id"], r["name_zh"], r["kind"], r["start_on"], r["meetings"],
                             met.get(r["event_id"], 0), r["sourced"], r["signings"], int(r["fdi"] or 0))
            for r in rows]


def upcoming_events(store: Any, *, now: datetime, weeks: int = 4) -> list[events.Event]:
    """Events starting within the next `weeks` weeks (Chongqing days), with their task counts."""
    today = local_today(now)
    query = events.EventQuery(start_from=today, start_to=today + timedelta(weeks=weeks), page_size=200)
    return events.list_events(store, query, actor=SYSTEM).items
