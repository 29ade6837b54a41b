"""Escalation and overdue counts (四（一） 重点任务督查, 四（四） 招商督查通报, 任务 9 链长制).

A follow-up still open more than `escalation.overdue_working_days` working days after its due
day is flagged (`escalated_at`, a version-checked write) and the chain leaders of its chain are
told, once. The overdue counts by owner and by district are plain functions for the weekly
report and the district activity index.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from crm.base import records
from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.errors import ValidationFailed, VersionConflict
from crm.base.notices import Notice, notify
from crm.policy import section
from crm.base.workdays import add_working_days, at_local, day_bounds

log = logging.getLogger("chainlead.escalation")

_SCOPE = ("OPTIONAL MATCH (f)-[:ABOUT]->(l:Lead) OPTIONAL MATCH (l)-[:LANDS_IN]->(ld:District) "
          "OPTIONAL MATCH (l)-[:FILLS]->(ln:ChainNode) OPTIONAL MATCH (f)-[:ABOUT]->(p:Project) "
          "OPTIONAL MATCH (p)-[:LOCATED_IN]->(pd:District) OPTIONAL MATCH (p)-[:IN_LINK]->(pn:ChainNode) "
          "OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(u:User) "
          "WITH f, u, coalesce(l.title, p.name) AS subject, coalesce(ld.id, pd.id) AS district_id, "
          "coalesce(ln.chain_id, pn.chain_id) AS chain_id ")


def escalation_cutoff(now: datetime, policy: dict[str, Any] | None = None) -> datetime:
    """Follow-ups due before this instant are overdue by more than the policy's working days."""
    days = section("escalation", policy).get("overdue_working_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValidationFailed({"escalation.overdue_working_days": ["a whole number of working days, 0 or more"]})
    return at_local(add_working_days(local_today(now), -days), 0)


def escalate_overdue(store: Any, *, now: datetime, policy: dict[str, Any] | None = None) -> int:
    """Flag follow-ups overdue past the policy and tell their chain leaders; returns how many were flagged."""
    rows = store.read("MATCH (f:FollowUp) WHERE f.status = 'open' AND f.archived = false AND f.escalated_at IS NULL "
                      "AND f.due_at < $cutoff " + _SCOPE +
                      "RETURN f.id AS id, f.version AS version, f.due_at AS due_at, subject, chain_id, "
                      "u.id AS owner_id, u.display_name AS owner_name ORDER BY f.id",
                      {"cutoff": escalation_cutoff(now, policy)})
    flagged = 0
    for row in rows:
        try:
            flagged += store.transaction(lambda tx, row=row: _escalate(tx, row, now=now))
        except VersionConflict:
            log.info("follow-up %s changed while escalating it; the next run looks again", row["id"])
    return flagged


def _escalate(tx: Any, row: dict[str, Any], *, now: datetime) -> int:
    records.update(tx, "FollowUp", row["id"], {"escalated_at": now}, actor=SYSTEM, now=now,
                   expected_version=row["version"], action="escalate")
    leaders = tx.run("MATCH (u:User)-[:LEADS_CHAIN]->(:Chain {id: $chain}) WHERE u.active = true RETURN u.id AS id",
                     {"chain": row["chain_id"] or ""})
    due = local_today(row["due_at"]).isoformat()
    subject = row["subject"] or row["id"]
    owner_zh, owner_en = (row["owner_name"],) * 2 if row["owner_name"] else ("无人负责", "nobody")
    notify(tx, [Notice(f"escalation:{row['id']}:{due}", r["id"], "escalation",
                       (f"跟进逾期督办：{subject}", f"Overdue follow-up escalated: {subject}"),
                       (f"{owner_zh}负责的跟进“{subject}”自{due}起逾期未完成。",
                        f"The follow-up “{subject}” owned by {owner_en} has been open since {due}."),
                       f"/followups/{row['id']}", "FollowUp", row["id"]) for r in leaders], now=now)
    return 1


_OVERDUE = "MATCH (f:FollowUp) WHERE f.status = 'open' AND f.archived = false AND f.due_at < $today "


def overdue_by_owner(store: Any, *, now: datetime) -> dict[str | None, int]:
    """Open follow-ups whose due day has passed, per owner id (None: no owner)."""
    rows = store.read(_OVERDUE + "OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(u:User) RETURN u.id AS k, count(f) AS n",
                      {"today": day_bounds(now)[0]})
    return {r["k"]: r["n"] for r in rows}


def overdue_by_district(store: Any, *, now: datetime) -> dict[str | None, int]:
    """Open follow-ups whose due day has passed, per district of their lead or project (None: no district)."""
    rows = store.read(_OVERDUE + "OPTIONAL MATCH (f)-[:ABOUT]->(l:Lead) OPTIONAL MATCH (l)-[:LANDS_IN]->(ld:District) "
                      "OPTIONAL MATCH (f)-[:ABOUT]->(p:Project) OPTIONAL MATCH (p)-[:LOCATED_IN]->(pd:District) "
                      "RETURN coalesce(ld.id, pd.id) AS k, count(f) AS n", {"today": day_bounds(now)[0]})
    return {r["k"]: r["n"] for r in rows}
