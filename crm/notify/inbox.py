"""Each user's in-app inbox: notifications (leads returned to the pool, escalations, reminders)
and the work that is due today or overdue, computed fresh from the follow-ups and tasks.

Notifications are posted by crm/base/notices.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm.events import tasks
from crm.followups import followups
from crm.base.access import Actor
from crm.errors import NotFound
from crm.base.listing import Page, read_page
from crm.base.workdays import day_bounds


@dataclass
class Notification:
    id: str
    kind: str
    title: str
    body: str = ""
    link: str | None = None
    record_label: str | None = None
    record_id: str | None = None
    created_at: datetime | None = None
    read_at: datetime | None = None
    emailed_at: datetime | None = None

    @property
    def read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> "Notification":
        values: dict[str, Any] = {k: node.get(k) for k in cls.__dataclass_fields__ if k in node}
        values["body"] = values.get("body") or ""
        return cls(**values)


_MINE = "MATCH (n:Notification)-[:NOTIFIES]->(:User {id: $user}) "


def list_notifications(store: Any, *, actor: Actor, unread: bool | None = None, kind: str | None = None,
                       page: int = 1, page_size: int = 50) -> Page[Notification]:
    """The actor's notifications, newest first."""
    where, params = [], {"user": actor.id}
    if unread is not None:
        where.append("n.read_at IS NULL" if unread else "n.read_at IS NOT NULL")
    if kind:
        where.append("n.kind = $kind")
        params["kind"] = kind
    match = _MINE + ("WHERE " + " AND ".join(where) + " " if where else "")
    total, rows = read_page(store, match + "RETURN count(n) AS total",
                            match + "RETURN n ORDER BY n.created_at DESC, n.id DESC SKIP $skip LIMIT $limit",
                            params, page=page, page_size=page_size)
    return Page([Notification.from_node(r["n"]) for r in rows], total, page, page_size)


def mark_read(store: Any, notification_id: str, *, actor: Actor, now: datetime) -> Notification:
    """Mark one of the actor's notifications read (again: it keeps its first read time)."""
    rows = store.write(_MINE + "WHERE n.id = $id SET n.read_at = coalesce(n.read_at, $now) RETURN n",
                       {"user": actor.id, "id": notification_id, "now": now})
    if not rows:
        raise NotFound("Notification", notification_id)
    return Notification.from_node(rows[0]["n"])


def mark_all_read(store: Any, *, actor: Actor, now: datetime) -> int:
    rows = store.write(_MINE + "WHERE n.read_at IS NULL SET n.read_at = $now RETURN count(n) AS n",
                       {"user": actor.id, "now": now})
    return rows[0]["n"] if rows else 0


@dataclass
class Inbox:
    unread: int
    due_today: list[followups.FollowUp] = field(default_factory=list)
    overdue: list[followups.FollowUp] = field(default_factory=list)
    tasks_due: list[tasks.Task] = field(default_factory=list)
    recent: list[Notification] = field(default_factory=list)


def inbox(store: Any, *, actor: Actor, now: datetime, limit: int = 50) -> Inbox:
    """What the actor should look at now: their follow-ups due today and overdue, their tasks due
    by today, and their latest unread notifications."""
    today, tomorrow = day_bounds(now)
    due = followups.list_followups(store, followups.FollowUpQuery(
        owner=actor.id, status=["open"], page_size=limit, due_after=today, due_before=tomorrow), actor=actor, now=now)
    late = followups.list_followups(store, followups.FollowUpQuery(
        owner=actor.id, status=["open"], page_size=limit, overdue=True), actor=actor, now=now)
    todo = tasks.list_tasks(store, tasks.TaskQuery(owner=actor.id, status=["open"], due_by_today=True,
                                                   page_size=limit), actor=actor, now=now)
    unread = list_notifications(store, actor=actor, unread=True, page_size=limit)
    return Inbox(unread=unread.total, due_today=due.items, overdue=late.items, tasks_due=todo.items,
                 recent=unread.items)
