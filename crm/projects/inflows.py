"""Capital inflows: the foreign capital actually paid into a project (实际到位外资), one record each.

Inflows are the facts the incentives (任务 5, 10) and the FDI KPIs are computed from, so they
are never deleted: a mistaken one is archived, keeps its audit trail, and stops counting.
Access follows the project: whoever may read (write) the project may read (write) its inflows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor, can_write, require
from crm.choices import INFLOW_KINDS
from crm.base.clock import local_today
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.projects.incentives import YearReward, IncentivePolicy, project_rewards
from crm.projects.projects import Project, get_project
from crm.base.listing import Page, Where, order_by, read_page
from graph.cypher import read_with

EDITABLE = ("received_on", "amount_usd", "kind", "archived")
SORTS = {"received_on": "f.received_on", "amount_usd": "f.amount_usd", "created_at": "f.created_at"}

_MATCH = "MATCH (f:CapitalInflow)-[:PAID_INTO]->(p:Project {id: $project}) "
_RETURN = "RETURN f AS inflow, p.id AS project_id"


@dataclass
class Inflow:
    id: str
    project_id: str
    received_on: date
    amount_usd: int
    kind: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Inflow":
        return cls(**records.values_of(cls, row, "inflow"))


@dataclass
class InflowQuery:
    year: int | None = None
    kind: str | None = None
    archived: bool = False
    sort: str = "received_on"
    page: int = 1
    page_size: int = 50


def validate(data: dict[str, Any], *, creating: bool, today: date) -> dict[str, list[str]]:
    """Field messages: a received date that has happened, a positive whole USD amount, a known kind."""
    errors: dict[str, list[str]] = {}
    if creating:
        for name in ("received_on", "amount_usd", "kind"):
            if data.get(name) is None:
                errors[name] = ["required"]
    received = data.get("received_on")
    if received is not None:
        if not isinstance(received, date) or isinstance(received, datetime):
            errors["received_on"] = ["must be a date (YYYY-MM-DD)"]
        elif received > today:
            errors["received_on"] = [f"cannot be in the future (today is {today.isoformat()} in Chongqing)"]
    amount = data.get("amount_usd")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        errors["amount_usd"] = ["must be a whole number of US dollars, more than 0"]
    if data.get("kind") is not None and data["kind"] not in INFLOW_KINDS:
        errors["kind"] = [f"must be one of {', '.join(INFLOW_KINDS.values)}"]
    for name in ("amount_usd", "kind", "received_on", "archived"):
        if not creating and name in data and data[name] is None:
            errors[name] = ["cannot be empty"]
    return errors


def inflows_of(reader: Any, project_id: str, *, include_archived: bool = False) -> list[Inflow]:
    """All of a project's inflows in date order (no access check: callers have made it)."""
    run = read_with(reader)
    where = "" if include_archived else "WHERE f.archived = false "
    rows = run(_MATCH + where + _RETURN + " ORDER BY f.received_on, f.id", {"project": project_id})
    return [Inflow.from_row(r) for r in rows]


def list_inflows(store: Any, project_id: str, query: InflowQuery, *, actor: Actor) -> Page[Inflow]:
    get_project(store, project_id, actor=actor)
    w = Where()
    w.add("f.archived = $archived", archived=query.archived)
    if query.kind:
        w.add("f.kind = $kind", kind=query.kind)
    if query.year is not None:
        w.add("f.received_on >= $year_start AND f.received_on < $next_year_start",
              year_start=date(query.year, 1, 1), next_year_start=date(query.year + 1, 1, 1))
    order = order_by(query.sort, SORTS, "f.id")
    params = {**w.params, "project": project_id}
    total, rows = read_page(store, _MATCH + w.clause() + " RETURN count(f) AS n",
                            _MATCH + w.clause() + f" WITH f, p {order} SKIP $skip LIMIT $limit " + _RETURN,
                            params, page=query.page, page_size=query.page_size)
    return Page([Inflow.from_row(r) for r in rows], total, query.page, query.page_size)


def _fetch(reader: Any, project_id: str, inflow_id: str) -> Inflow:
    run = read_with(reader)
    rows = run(_MATCH + "WHERE f.id = $id " + _RETURN, {"project": project_id, "id": inflow_id})
    if not rows:
        raise NotFound("CapitalInflow", inflow_id)
    return Inflow.from_row(rows[0])


def get_inflow(store: Any, project_id: str, inflow_id: str, *, actor: Actor) -> Inflow:
    get_project(store, project_id, actor=actor)
    return _fetch(store, project_id, inflow_id)


def _writable(store: Any, project_id: str, actor: Actor) -> Project:
    project = get_project(store, project_id, actor=actor)
    require(can_write(actor, project.scope), "record capital for this project")
    if project.archived:
        raise Conflict(f"project {project_id} is archived: restore it before changing its capital")
    return project


def before_signing(project: Project, received_on: Any) -> dict[str, list[str]]:
    """Capital is paid into a signed project: an inflow dated before the signing is refused."""
    if isinstance(received_on, date) and project.signed_on is not None and received_on < project.signed_on:
        return {"received_on": [f"cannot be before the project was signed ({project.signed_on.isoformat()})"]}
    return {}


def add_inflow(store: Any, project_id: str, data: dict[str, Any], *, actor: Actor, now: datetime) -> Inflow:
    """Record capital paid in on a date (not in the future, by Chongqing's calendar, not before the signing)."""
    unknown = set(data) - {"received_on", "amount_usd", "kind", "synthetic", "id"}
    errors = {k: ["unknown field"] for k in sorted(unknown)}
    errors.update(validate(data, creating=True, today=local_today(now)))
    if errors:
        raise ValidationFailed(errors)
    project = _writable(store, project_id, actor)
    if errors := before_signing(project, data.get("received_on")):
        raise ValidationFailed(errors)

    def work(tx: Any) -> str:
        props = {k: data.get(k) for k in ("received_on", "amount_usd", "kind", "synthetic", "id")}
        record = records.create(tx, "CapitalInflow", props, actor=actor, now=now, prefix="inflow",
                                links=[("PAID_INTO", "Project", project_id)])
        return record["id"]

    return _fetch(store, project_id, store.transaction(work))


def update_inflow(store: Any, project_id: str, inflow_id: str, changes: dict[str, Any], *, actor: Actor,
                  now: datetime, expected_version: int | None) -> Inflow:
    """Correct an inflow, or archive it (`archived: true`) so it stops counting; never a blind write."""
    unknown = set(changes) - set(EDITABLE)
    errors = {k: ["cannot be changed here"] for k in sorted(unknown)}
    errors.update(validate(changes, creating=False, today=local_today(now)))
    if errors:
        raise ValidationFailed(errors)
    project = _writable(store, project_id, actor)
    _fetch(store, project_id, inflow_id)
    if errors := before_signing(project, changes.get("received_on")):
        raise ValidationFailed(errors)

    def work(tx: Any) -> None:
        records.update(tx, "CapitalInflow", inflow_id, changes, actor=actor, now=now,
                       expected_version=expected_version, action="archive" if changes.get("archived") else "update")

    store.transaction(work)
    return _fetch(store, project_id, inflow_id)


def archive_inflow(store: Any, project_id: str, inflow_id: str, *, actor: Actor, now: datetime,
                   expected_version: int | None) -> Inflow:
    return update_inflow(store, project_id, inflow_id, {"archived": True}, actor=actor, now=now,
                         expected_version=expected_version)


def rewards(store: Any, project_id: str, *, actor: Actor, policy: dict[str, Any] | None = None) -> list[YearReward]:
    """The plan's rewards for a project the actor may read, year by year, each with its reasons."""
    project = get_project(store, project_id, actor=actor)
    return project_rewards(project, inflows_of(store, project_id), IncentivePolicy.load(policy))
