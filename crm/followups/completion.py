"""Completing a follow-up: record the outcome and schedule exactly one next one from the cadence.

The follow-up is locked and version-checked first, so a double submission or a second
completion finds it done and is refused: it can never schedule two next follow-ups. Completing
one about a lead stamps the lead's `last_followup_at` (what keeps it out of the pool) without
bumping the lead's version, so no one editing the lead gets a spurious conflict.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.pipeline import leads
from crm.projects import projects
from crm.base.access import Actor, require
from crm.followups.cadence import Cadence, next_due
from crm.choices import FOLLOWUP_KINDS
from crm.errors import InvalidTransition, ValidationFailed
from crm.followups.followups import LIMITS, FollowUp, fetch, get_followup, insert, may_change
from crm.pipeline.stages import OPEN_STAGES
from crm.base.workdays import due_at


def _validate(data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.get("outcome") or "").strip():
        errors["outcome"] = ["required: what came of it"]
    for name in ("outcome", "notes"):
        if isinstance(data.get(name), str) and len(data[name]) > LIMITS[name]:
            errors[name] = [f"at most {LIMITS[name]} characters"]
    if data.get("next_kind") is not None and data["next_kind"] not in FOLLOWUP_KINDS:
        errors["next_kind"] = [f"must be one of {', '.join(FOLLOWUP_KINDS.values)}"]
    if errors:
        raise ValidationFailed(errors)


def complete_followup(store: Any, followup_id: str, data: dict[str, Any], *, actor: Actor, now: datetime,
                      expected_version: int | None) -> FollowUp:
    """Mark the follow-up done with its outcome; returns it, with `next_id` naming the one scheduled."""
    _validate(data)
    item = get_followup(store, followup_id, actor=actor, now=now)
    require(may_change(actor, item), "complete this follow-up")
    store.transaction(lambda tx: complete_in(tx, followup_id, data, actor=actor, now=now,
                                             expected_version=expected_version))
    return fetch(store, followup_id, now)


def complete_in(tx: Any, followup_id: str, data: dict[str, Any], *, actor: Actor, now: datetime,
                expected_version: int | None) -> str | None:
    """The completion inside the caller's transaction; returns the id of the next follow-up, if any."""
    before = records.lock(tx, "FollowUp", followup_id, expected_version)
    if before.get("status") != "open":
        raise InvalidTransition(f"the follow-up is already {before.get('status')}; it cannot be completed again")
    item = fetch(tx, followup_id)
    fields = {"status": "done", "done_at": now, "outcome": data["outcome"].strip(), "updated_at": now}
    if data.get("notes") is not None:
        fields["notes"] = data["notes"]
    next_id = _schedule_next(tx, item, data, actor=actor, now=now)
    fields["next_id"] = next_id
    tx.run("MATCH (f:FollowUp {id: $id}) SET " + ", ".join(f"f.{k} = ${k}" for k in fields),
           {"id": followup_id, **fields})
    records.audit(tx, actor, "complete", "FollowUp", followup_id,
                  {k: (before.get(k), v) for k, v in fields.items() if k != "updated_at"}, now)
    return next_id


def _open_elsewhere(tx: Any, label: str, record_id: str, followup_id: str) -> bool:
    rows = tx.run(f"MATCH (f:FollowUp)-[:ABOUT]->(:{label} {{id: $rid}}) WHERE f.status = 'open' AND "
                  "f.archived = false AND f.id <> $id RETURN count(f) AS n", {"rid": record_id, "id": followup_id})
    return rows[0]["n"] > 0


def _schedule_next(tx: Any, item: FollowUp, data: dict[str, Any], *, actor: Actor, now: datetime) -> str | None:
    """One next follow-up from the cadence, unless the record needs none or already has an open one."""
    cadence = Cadence.from_policy()
    label, record_id = item.record
    if label == "Lead":
        tx.run("MATCH (l:Lead {id: $id}) SET l.last_followup_at = $now", {"id": record_id, "now": now})
        lead = leads.fetch(tx, record_id)
        if lead.archived or lead.stage not in OPEN_STAGES:
            return None
        due = next_due(now, stage=lead.stage, priority=lead.priority, cadence=cadence)
        owner, kind = lead.owner_id or item.owner_id, cadence.next_kind["lead"]
    else:
        project = projects.fetch(tx, record_id)
        if project.archived or project.status != "active":
            return None
        due = next_due(now, project=True, cadence=cadence)
        owner, kind = project.owner_id or item.owner_id, cadence.next_kind["project"]
    if due is None or _open_elsewhere(tx, label, record_id, item.id):
        return None
    if isinstance(data.get("next_due_on"), date):
        due = due_at(data["next_due_on"])
    return insert(tx, {"lead_id": item.lead_id, "project_id": item.project_id, "owner_id": owner,
                       "kind": data.get("next_kind") or kind, "due_at": due, "previous_id": item.id,
                       "title": "", "synthetic": item.synthetic}, actor=actor, now=now)
