"""The lead pool (公海池): open leads without an owner, and the rule that no lead goes cold.

Staff see the whole pool; chain leaders and district officers see the pool of their chains and
districts (the lead list's own scope). A claim locks the lead and checks, under the lock, that
no one owns it yet, so of several people claiming at once exactly one wins and the others are
told who did. An owned lead whose last completed follow-up (or, without one, its assignment) is
older than `pool.stale_after_days` returns to the pool and its owner is told, once
(requirements P2 "no lead goes cold"; 任务 9 全程推动外资项目落地).
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from crm.base import hooks, records
from crm.pipeline import leads
from crm.base.access import SYSTEM, Actor, can_write, require
from crm.errors import Conflict, NotFound, ValidationFailed, VersionConflict
from crm.base.notices import Notice, notify
from crm.pipeline.stages import OPEN_STAGES
from crm.policy import section
from crm.base.listing import Page

log = logging.getLogger("chainlead.pool")


def list_pool(store: Any, query: leads.LeadQuery, *, actor: Actor) -> Page[leads.Lead]:
    """The pool as the actor may see it (staff: all; chain leaders and district officers: theirs)."""
    return leads.list_leads(store, replace(query, pool=True), actor=actor)


def claim(store: Any, lead_id: str, *, actor: Actor, now: datetime, expected_version: int | None) -> leads.Lead:
    """Take a pool lead as one's own. A lead someone else already took raises Conflict naming them."""
    lead = leads.get_lead(store, lead_id, actor=actor)
    require(can_write(actor, lead.scope), "claim leads here")

    def work(tx: Any) -> None:
        before = records.lock(tx, "Lead", lead_id, None)
        if before.get("owner_id"):  # the lead mirrors its owner's id; the name is read only to say who
            owner = records.by_ids(tx, "User", [before["owner_id"]], ("display_name",)).get(before["owner_id"], {})
            who = "you" if before["owner_id"] == actor.id else (owner.get("display_name") or before["owner_id"])
            raise Conflict(f"lead {lead_id} is no longer in the pool: {who} claimed it first")
        if before.get("archived") or before.get("stage") not in OPEN_STAGES:
            raise Conflict(f"lead {lead_id} is {before.get('stage')} and not in the pool")
        if expected_version is not None and before["version"] != expected_version:
            raise VersionConflict("Lead", lead_id, expected_version, before["version"])
        # A pool lead has no owner to unlink (checked above), so the claim sets, links and audits in one
        # statement (on Neo4j each is a round trip).
        audit, params, entry = records.audit_clause(actor, "claim", "Lead", lead_id, {"owner_id": (None, actor.id)},
                                                    now)
        taken = tx.run("MATCH (l:Lead {id: $id}) MATCH (u:User {id: $user}) SET l.pooled_at = NULL, "
                       "l.assigned_at = $now, l.updated_at = $now, l.owner_id = u.id CREATE (l)-[:OWNED_BY]->(u) "
                       f"{audit} RETURN u.id AS id", {"id": lead_id, "user": actor.id, "now": now, **params},
                       touches={"Lead": [lead_id], "AuditEntry": [entry]})
        if not taken:
            raise NotFound("User", actor.id)
        hooks.new_work(tx, [lead_id], now=now)

    store.transaction(work)
    return leads.fetch(store, lead_id)


def stale_after(policy: dict[str, Any] | None = None) -> timedelta:
    days = section("pool", policy).get("stale_after_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValidationFailed({"pool.stale_after_days": ["must be a whole number of days, 1 or more"]})
    return timedelta(days=days)


def _quiet_since(node: dict[str, Any]) -> datetime | None:
    return node.get("last_followup_at") or node.get("assigned_at") or node.get("created_at")


def stale_leads(store: Any, *, now: datetime, policy: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Owned open leads with no completed follow-up since the cutoff: id, version and owner."""
    cutoff = now - stale_after(policy)
    return store.read(
        "MATCH (l:Lead)-[:OWNED_BY]->(u:User) WHERE l.archived = false AND l.stage IN $open "
        "AND coalesce(l.last_followup_at, l.assigned_at, l.created_at) < $cutoff "
        "RETURN l.id AS id, l.version AS version, u.id AS owner_id ORDER BY l.id",
        {"open": list(OPEN_STAGES), "cutoff": cutoff})


def return_stale_leads(store: Any, *, now: datetime, policy: dict[str, Any] | None = None) -> int:
    """Return every stale lead to the pool and tell its owner; safe to run twice (returns 0 then)."""
    cutoff = now - stale_after(policy)
    returned = 0
    for row in stale_leads(store, now=now, policy=policy):
        try:
            returned += store.transaction(lambda tx, row=row: _return(tx, row, cutoff=cutoff, now=now))
        except VersionConflict:
            log.info("lead %s changed while returning it to the pool; the next run looks again", row["id"])
    return returned


def _return(tx: Any, row: dict[str, Any], *, cutoff: datetime, now: datetime) -> int:
    before = records.lock(tx, "Lead", row["id"], row["version"])
    quiet = _quiet_since(before)
    owner = tx.run("MATCH (:Lead {id: $id})-[:OWNED_BY]->(u:User) RETURN u.id AS id", {"id": row["id"]})
    if not owner or owner[0]["id"] != row["owner_id"] or quiet is None or quiet >= cutoff:
        return 0
    tx.run("MATCH (l:Lead {id: $id}) SET l.pooled_at = $now, l.updated_at = $now", {"id": row["id"], "now": now})
    records.relink(tx, "OWNED_BY", "Lead", row["id"], "User", None)
    records.audit(tx, SYSTEM, "return_to_pool", "Lead", row["id"],
                  {"owner_id": (row["owner_id"], None), "quiet_since": (quiet, None)}, now)
    title = before.get("title") or row["id"]
    days = (now - quiet).days
    notify(tx, [Notice(f"pool:{row['id']}:v{before['version'] + 1}", row["owner_id"], "pool_return",
                       (f"线索已退回公海池：{title}", f"Lead returned to the pool: {title}"),
                       (f"{title}已{days}天未完成跟进，已退回公海池。",
                        f"No follow-up was completed on {title} for {days} days, so it went back to the pool."),
                       f"/leads/{row['id']}", "Lead", row["id"])], now=now)
    return 1
