"""The first follow-up of new work (任务 9 全程推动外资项目落地): an owned open lead, or a signed project
that is not withdrawn, that never had a follow-up gets one by policy's cadence, for its owner, due on
working days from the day it is scheduled (a record found later is not made overdue at once).

The pages and the API schedule it as they create the record (side effects at the edges); the
follow-up scan schedules it for records that arrived any other way (an import, the pool, a signing
from the CLI), so no new work is left without one.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from crm.base.access import SYSTEM, Actor
from crm.followups.cadence import Cadence, next_due
from crm.followups.followups import insert
from crm.pipeline.stages import OPEN_STAGES

_LEADS = (
    "MATCH (l:Lead)-[:OWNED_BY]->(u:User) WHERE l.archived = false AND l.stage IN $open "
    "AND NOT EXISTS { MATCH (:FollowUp)-[:ABOUT]->(l) } "
    "RETURN l.id AS id, l.stage AS stage, l.priority AS priority, u.id AS owner_id, l.synthetic AS synthetic")
# The same for named leads, each found by key: `l.id IN $ids` scanned every lead (4.8 ms at 20,000 leads,
# inside the write lock), and joining the owner after UNWIND scanned every ownership; the lead mirrors its owner's id.
_LEADS_BY_ID = (
    "UNWIND $ids AS i MATCH (l:Lead {id: i}) WHERE l.archived = false AND l.stage IN $open AND l.owner_id IS NOT NULL "
    "AND NOT EXISTS { MATCH (:FollowUp)-[:ABOUT]->(l) } "
    "RETURN l.id AS id, l.stage AS stage, l.priority AS priority, l.owner_id AS owner_id, l.synthetic AS synthetic")
_PROJECTS = (
    "MATCH (p:Project)-[:OWNED_BY]->(u:User) WHERE p.archived = false "
    "AND (p.stage IS NULL OR p.stage <> 'withdrawn') {only} "
    "AND NOT EXISTS {{ MATCH (:FollowUp)-[:ABOUT]->(p) }} "
    "RETURN p.id AS id, u.id AS owner_id, p.synthetic AS synthetic")


def schedule_first(store: Any, *, now: datetime, ids: Iterable[str] | None = None, actor: Actor = SYSTEM,
                   policy: dict[str, Any] | None = None) -> int:
    """Give each owned open lead and live project without any follow-up its first one (only `ids`, when
    given); returns how many were scheduled."""
    return int(store.transaction(lambda tx: schedule_in(tx, now=now, ids=ids, actor=actor, policy=policy)))


def schedule_in(tx: Any, *, now: datetime, ids: Iterable[str] | None = None, actor: Actor = SYSTEM,
                policy: dict[str, Any] | None = None) -> int:
    """schedule_first inside a transaction already open: the one that created, claimed or signed the records."""
    cadence = Cadence.from_policy(policy)
    params = {"open": list(OPEN_STAGES), "ids": None if ids is None else sorted(set(ids))}
    leads = tx.run(_LEADS if params["ids"] is None else _LEADS_BY_ID, params)
    found = [("lead_id", "lead", r, next_due(now, stage=r["stage"], priority=r["priority"], cadence=cadence))
             for r in leads]
    rest = None if params["ids"] is None else sorted(set(params["ids"]) - {r["id"] for r in leads})
    if rest is None or rest:  # ids that were leads need no look among the projects
        found += [("project_id", "project", r, next_due(now, project=True, cadence=cadence))
                  for r in tx.run(_PROJECTS.format(only="" if rest is None else "AND p.id IN $ids"),
                                  {**params, "ids": rest})]
    made = 0
    for field, record, row, due in found:
        if due is not None:
            insert(tx, {field: row["id"], "owner_id": row["owner_id"], "kind": cadence.next_kind[record],
                        "due_at": due, "synthetic": row["synthetic"]}, actor=actor, now=now)
            made += 1
    return made
