"""Counts of follow-up work for the weekly report and the district activity index (四（四）, M1, M2).

Plain functions over a period [start, end) of aware UTC instants: follow-ups done per owner or
per district (optionally only some kinds, e.g. visits), and leads returned to the pool per former
owner. Overdue counts are in crm/followups/escalation.py.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

_DONE = "MATCH (f:FollowUp) WHERE f.status = 'done' AND f.archived = false AND f.done_at >= $since AND f.done_at < $until "


def done_by_owner(store: Any, *, start: datetime, end: datetime, kinds: list[str] | None = None) -> dict[str | None, int]:
    """Follow-ups completed in the period, per owner id (None: no owner)."""
    rows = store.read(_DONE + ("AND f.kind IN $kinds " if kinds else "") +
                      "OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(u:User) RETURN u.id AS k, count(f) AS n",
                      {"since": start, "until": end, "kinds": list(kinds or [])})
    return {r["k"]: r["n"] for r in rows}


def done_by_district(store: Any, *, start: datetime, end: datetime,
                     kinds: list[str] | None = None) -> dict[str | None, int]:
    """Follow-ups completed in the period, per district of their lead or project (None: no district)."""
    rows = store.read(_DONE + ("AND f.kind IN $kinds " if kinds else "") +
                      "OPTIONAL MATCH (f)-[:ABOUT]->(l:Lead) OPTIONAL MATCH (l)-[:LANDS_IN]->(ld:District) "
                      "OPTIONAL MATCH (f)-[:ABOUT]->(p:Project) OPTIONAL MATCH (p)-[:LOCATED_IN]->(pd:District) "
                      "RETURN coalesce(ld.id, pd.id) AS k, count(f) AS n",
                      {"since": start, "until": end, "kinds": list(kinds or [])})
    return {r["k"]: r["n"] for r in rows}


def returned_to_pool(store: Any, *, start: datetime, end: datetime) -> dict[str | None, int]:
    """Leads the pool took back in the period for want of follow-up, per former owner (from the audit)."""
    rows = store.read("MATCH (a:AuditEntry) WHERE a.action = 'return_to_pool' AND a.record_label = 'Lead' "
                      "AND a.at >= $since AND a.at < $until RETURN a.changes AS changes", {"since": start, "until": end})
    out: dict[str | None, int] = {}
    for row in rows:
        owner = json.loads(row["changes"] or "{}").get("owner_id", [None])[0]
        out[owner] = out.get(owner, 0) + 1
    return out
