"""The 固链 action: one click schedules a visit to a firm on the exit-risk watch.

A follow-up hangs on a lead or a project. A present firm's honest record is its project (the
investment already signed), not a new prospect lead that would swell the pipeline; so the visit
is about the firm's latest project, and a firm with no project in the store is refused with a
message saying so (staff record the project first).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from crm.base.access import Actor
from crm.base.clock import local_today
from crm.errors import ValidationFailed
from crm.followups.followups import FollowUp, create_followup
from crm.policy import section

_LATEST_PROJECT = ("MATCH (p:Project)-[:INVESTED_BY]->(c:Company {id: $company}) WHERE p.archived = false "
                   "RETURN p.id AS id, p.name AS name ORDER BY p.created_at DESC, p.id LIMIT 1")


def schedule_retention_visit(store: Any, company_id: str, *, actor: Actor, now: datetime,
                             policy: dict[str, Any] | None = None) -> FollowUp:
    """A visit on the firm's latest project, due exit_risk.visit_within_days from today."""
    rows = store.read(_LATEST_PROJECT, {"company": company_id})
    if not rows:
        raise ValidationFailed({"company_id": [f"{company_id!r} has no project to hang a visit on: record it first"]})
    days = int(section("exit_risk", policy)["visit_within_days"])
    return create_followup(store, {"project_id": rows[0]["id"], "kind": "visit",
                                   "title": f"固链走访 {rows[0]['name'] or ''}".strip(),
                                   "due_on": local_today(now) + timedelta(days=days)}, actor=actor, now=now)
