"""A record's history from its audit entries: who changed which fields, from what to what, when.

Staff and admins read any record's history, including records since removed; everyone else
reads only the history of a record they may read themselves (crm/people/visibility.py), so the
trail never leaks what the record would not show. A person's account (User, ApiToken) is another
matter: its history is for admins and that person only. Secret values never enter the trail
(crm/base/records.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from crm.base.access import Actor, require, require_admin
from crm.base.clock import SHANGHAI
from crm.errors import NotFound, ValidationFailed
from crm.base.listing import Page, Where, read_page
from crm.people.visibility import LOCATABLE, locate, may_read
from graph.schema import SCHEMA


@dataclass
class AuditRecord:
    id: str
    at: datetime
    actor: str
    action: str
    record_label: str
    record_id: str
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> "AuditRecord":
        raw = json.loads(node.get("changes") or "{}")
        changes = {k: {"before": pair[0], "after": pair[1]} for k, pair in raw.items()}
        return cls(id=node["id"], at=node["at"], actor=node.get("actor") or "", action=node.get("action") or "",
                   record_label=node.get("record_label") or "", record_id=node["record_id"], changes=changes)


def record_history(store: Any, label: str | None, record_id: str, *, page: int = 1,
                   page_size: int = 50) -> Page[AuditRecord]:
    """Every audit entry of one record, newest first (ids sort in creation order within a moment)."""
    w = Where()
    w.add("a.record_id = $rid", rid=record_id)
    if label:
        w.add("a.record_label = $label", label=label)
    match = "MATCH (a:AuditEntry) " + w.clause()
    total, rows = read_page(store, match + " RETURN count(a) AS n",
                            match + " WITH a ORDER BY a.at DESC, a.id DESC SKIP $skip LIMIT $limit RETURN a AS entry",
                            w.params, page=page, page_size=page_size)
    return Page([AuditRecord.from_node(r["entry"]) for r in rows], total, page, page_size)


def _account_of(store: Any, record_id: str, label: str | None) -> str | None:
    """The user a User or ApiToken record belongs to, when the id names one."""
    rows = []
    if label in (None, "User"):
        rows += store.read("MATCH (u:User {id: $id}) RETURN u.id AS owner", {"id": record_id})
    if label in (None, "ApiToken"):
        rows += store.read("MATCH (:ApiToken {id: $id})-[:TOKEN_OF]->(u:User) RETURN u.id AS owner", {"id": record_id})
    return rows[0]["owner"] if rows else None


def history_for(store: Any, record_id: str, *, actor: Actor, label: str | None = None, page: int = 1,
                page_size: int = 50) -> Page[AuditRecord]:
    """The history the actor may see: a person's account only to admins and that person; other records
    all of it for staff and admins, else only of readable records. Unknown and unreadable answer alike."""
    if label is not None and label not in SCHEMA.nodes:
        raise ValidationFailed({"label": [f"unknown label {label!r}"]})
    account = _account_of(store, record_id, label)
    if account is not None:
        if actor.role != "admin" and actor.id != account:
            raise NotFound(label or "Record", record_id)
        return record_history(store, label, record_id, page=page, page_size=page_size)
    if label in ("User", "ApiToken") and actor.role != "admin":
        raise NotFound(label, record_id)
    if actor.role in ("admin", "staff"):
        return record_history(store, label, record_id, page=page, page_size=page_size)
    require(label is None or label in LOCATABLE, f"see the history of {label} records")
    ref = locate(store, record_id, label)
    if not may_read(actor, ref):
        raise NotFound(ref.label, record_id)
    return record_history(store, ref.label, record_id, page=page, page_size=page_size)


@dataclass(frozen=True)
class LogQuery:
    """The global log's filters: who acted (username), which kind of record, which local days."""
    user: str | None = None
    label: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1
    page_size: int = 50


def audit_log(store: Any, query: LogQuery, *, actor: Actor) -> Page[AuditRecord]:
    """Every audit entry matching the filters, newest first: admins only, as it spans every record
    and every person's account. Days are Shanghai days, `until` included."""
    require_admin(actor, "read the audit log")
    if query.label is not None and query.label not in SCHEMA.nodes:
        raise ValidationFailed({"label": [f"unknown label {query.label!r}"]})
    if query.since and query.until and query.since > query.until:
        raise ValidationFailed({"until": ["is before the first day"]})
    w = Where()
    if query.user:
        w.add("a.actor = $user", user=query.user)
    if query.label:
        w.add("a.record_label = $label", label=query.label)
    if query.since:
        w.add("a.at >= $since", since=datetime.combine(query.since, time(), SHANGHAI))
    if query.until:
        w.add("a.at < $until", until=datetime.combine(query.until + timedelta(days=1), time(), SHANGHAI))
    match = "MATCH (a:AuditEntry) " + w.clause()
    total, rows = read_page(store, match + " RETURN count(a) AS n",
                            match + " WITH a ORDER BY a.at DESC, a.id DESC SKIP $skip LIMIT $limit RETURN a AS entry",
                            w.params, page=query.page, page_size=query.page_size)
    return Page([AuditRecord.from_node(r["entry"]) for r in rows], total, query.page, query.page_size)
