"""Tasks (requirements P3, M3): the to-dos of an event's checklist, each with an owner and a due day.

Every role reads tasks, as it reads the event calendar; admins and staff change any task, the
event's owner and the task's owner change theirs. A task is open, done or cancelled; it is
overdue once its due day (Chongqing) has passed while it is still open.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor, require
from crm.choices import TASK_STATUSES
from crm.base.clock import local_today
from crm.errors import InvalidTransition, NotFound, ValidationFailed
from crm.base.listing import Page, Where, order_by, read_page
from crm.base.checks import check_exists
from crm.base.workdays import on_or_after
from graph.cypher import read_with

EDITABLE = ("title", "due_on", "status", "notes", "archived")
LIMITS = {"title": 200, "notes": 5000}
_JOINS = ("OPTIONAL MATCH (t)-[:FOR_EVENT]->(e:Event) OPTIONAL MATCH (e)-[:OWNED_BY]->(eo:User) "
          "OPTIONAL MATCH (t)-[:ASSIGNED_TO]->(u:User) WITH t, e, eo, u ")
_RETURN = ("RETURN t AS task, e.id AS event_id, e.name_zh AS event_name_zh, e.start_on AS event_start_on, "
           "eo.id AS event_owner_id, u.id AS owner_id, u.display_name AS owner_name")
SORTS = {"due_on": "t.due_on", "created_at": "t.created_at", "updated_at": "t.updated_at", "status": "t.status",
         "title": "t.title"}


@dataclass
class Task:
    id: str
    title: str
    status: str
    due_on: date
    template_key: str | None = None
    done_at: datetime | None = None
    notes: str | None = None
    event_id: str | None = None
    event_name_zh: str | None = None
    event_start_on: date | None = None
    event_owner_id: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False
    overdue: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any], now: datetime | None = None) -> "Task":
        task = cls(**records.values_of(cls, row, "task"))
        if now is not None:
            task.overdue = task.status == "open" and task.due_on < local_today(now)
        return task


@dataclass
class TaskQuery:
    mine: bool = False
    event: str | None = None
    owner: str | None = None
    status: list[str] = field(default_factory=list)
    due_before: date | None = None
    due_after: date | None = None
    overdue: bool | None = None
    due_by_today: bool = False
    archived: bool = False
    sort: str = "due_on"
    page: int = 1
    page_size: int = 50


def _where(query: TaskQuery, actor: Actor, now: datetime) -> tuple[Where, Where]:
    own, joined = Where(), Where()
    today = local_today(now)
    own.add("t.archived = $archived", archived=query.archived)
    if query.status:
        own.add("t.status IN $statuses", statuses=list(query.status))
    if query.due_before is not None:
        own.add("t.due_on < $due_before", due_before=query.due_before)
    if query.due_after is not None:
        own.add("t.due_on >= $due_after", due_after=query.due_after)
    if query.overdue is not None:
        cond = "t.status = 'open' AND t.due_on < $today"
        own.add(cond if query.overdue else f"NOT ({cond})", today=today)
    if query.due_by_today:
        own.add("t.due_on <= $today", today=today)
    if query.event:
        joined.add("e.id = $event", event=query.event)
    if query.owner:
        joined.add("u.id = $owner", owner=query.owner)
    if query.mine:
        joined.add("u.id = $mine", mine=actor.id)
    return own, joined


def list_tasks(store: Any, query: TaskQuery, *, actor: Actor, now: datetime) -> Page[Task]:
    """Tasks filtered, sorted and paged (every role reads the event calendar and its checklists)."""
    own, joined = _where(query, actor, now)
    params = {**own.params, **joined.params}
    match = "MATCH (t:Task) " + own.clause() + " " + _JOINS + joined.clause()
    order = order_by(query.sort, SORTS, "t.id")
    total, rows = read_page(store, match + " RETURN count(t) AS n",
                            match + f" WITH t, e, eo, u {order} SKIP $skip LIMIT $limit " + _RETURN, params,
                            page=query.page, page_size=query.page_size)
    return Page([Task.from_row(r, now) for r in rows], total, query.page, query.page_size)


def fetch(reader: Any, task_id: str, now: datetime | None = None) -> Task:
    run = read_with(reader)
    rows = run("MATCH (t:Task {id: $id}) " + _JOINS + _RETURN, {"id": task_id})
    if not rows:
        raise NotFound("Task", task_id)
    return Task.from_row(rows[0], now)


def get_task(store: Any, task_id: str, *, actor: Actor, now: datetime) -> Task:
    return fetch(store, task_id, now)


def may_change(actor: Actor, task: Task) -> bool:
    return actor.role in ("admin", "staff") or actor.id in (task.owner_id, task.event_owner_id)


def _validate(changes: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if changes.get("status") is not None and changes["status"] not in TASK_STATUSES:
        errors["status"] = [f"must be one of {', '.join(TASK_STATUSES.values)}"]
    if changes.get("status") == "done":
        errors["status"] = ["complete a task through its complete action"]
    for name, limit in LIMITS.items():
        if isinstance(changes.get(name), str) and len(changes[name]) > limit:
            errors[name] = [f"at most {limit} characters"]
    if "title" in changes and not (changes["title"] or "").strip():
        errors["title"] = ["cannot be empty"]
    if "due_on" in changes and not isinstance(changes["due_on"], date):
        errors["due_on"] = ["cannot be empty"]
    return errors


def update_task(store: Any, task_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                expected_version: int | None) -> Task:
    """Edit, reschedule (onto a working day), reassign, cancel or re-open a task."""
    unknown = set(changes) - set(EDITABLE) - {"owner_id"}
    errors = {k: ["cannot be changed here"] for k in sorted(unknown)} | _validate(changes)
    if errors:
        raise ValidationFailed(errors)
    task = get_task(store, task_id, actor=actor, now=now)
    require(may_change(actor, task), "change this task")
    fields = {k: v for k, v in changes.items() if k in EDITABLE}
    if "due_on" in fields:
        fields.update(due_on=on_or_after(fields["due_on"]), reminded_at=None, overdue_notified_at=None)
    if fields.get("status") == "open":
        fields["done_at"] = None

    def work(tx: Any) -> None:
        owner = changes.get("owner_id", task.owner_id)
        if owner and owner != task.owner_id:
            problems = check_exists(tx, "User", owner, "owner_id")
            if problems:
                raise ValidationFailed(problems)
        diff = {"owner_id": (task.owner_id, owner)} if owner != task.owner_id else {}
        records.update(tx, "Task", task_id, fields, actor=actor, now=now, expected_version=expected_version,
                       extra_audit=diff)
        if diff:
            records.relink(tx, "ASSIGNED_TO", "Task", task_id, "User", owner)

    store.transaction(work)
    return fetch(store, task_id, now)


def complete_task(store: Any, task_id: str, data: dict[str, Any], *, actor: Actor, now: datetime,
                  expected_version: int | None) -> Task:
    """Mark an open task done; a stale or repeated completion is refused (412, 409)."""
    errors = _validate({k: v for k, v in data.items() if k == "notes"})
    if errors:
        raise ValidationFailed(errors)
    task = get_task(store, task_id, actor=actor, now=now)
    require(may_change(actor, task), "complete this task")

    def work(tx: Any) -> None:
        before = records.lock(tx, "Task", task_id, expected_version)
        if before.get("status") != "open":
            raise InvalidTransition(f"the task is already {before.get('status')}")
        fields = {"status": "done", "done_at": now, "updated_at": now}
        if data.get("notes") is not None:
            fields["notes"] = data["notes"]
        tx.run("MATCH (t:Task {id: $id}) SET " + ", ".join(f"t.{k} = ${k}" for k in fields), {"id": task_id, **fields})
        records.audit(tx, actor, "complete", "Task", task_id,
                      {k: (before.get(k), v) for k, v in fields.items() if k != "updated_at"}, now)

    store.transaction(work)
    return fetch(store, task_id, now)


def insert(tx: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> str:
    """Write an open task for an event (used by the event checklist)."""
    record = records.create(tx, "Task", {"title": data["title"], "template_key": data.get("template_key"),
                                         "due_on": data["due_on"], "status": "open", "notes": data.get("notes"),
                                         "synthetic": data.get("synthetic")}, actor=actor, now=now, prefix="task",
                            links=[("FOR_EVENT", "Event", data.get("event_id")),
                                   ("ASSIGNED_TO", "User", data.get("owner_id"))])
    return record["id"]
