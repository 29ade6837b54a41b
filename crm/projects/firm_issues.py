"""Firm issues (任务 15): problems and complaints a firm raises after signing, tracked to resolution.

An issue is ABOUT a project and RAISED_BY the project's investor; it takes the project's scope,
so a district officer sees and handles only issues of projects in their district, and a chain
leader reads their chains' issues and may reassign them. Status moves open → in_progress →
resolved → closed, one step at a time; a resolved or closed issue may be re-opened.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from crm.base import records
from crm.projects import projects
from crm.base.access import Actor, Scope, can_assign, can_read, can_write, require, scope_filter
from crm.choices import ISSUE_CATEGORIES, ISSUE_STATUSES
from crm.base.clock import local_today
from crm.errors import InvalidTransition, NotFound, ValidationFailed
from crm.policy import section
from crm.base.listing import Page, Where, order_by, read_page, search_text
from crm.base.checks import check_exists
from graph.cypher import read_with

FLOW = {"open": ("in_progress",), "in_progress": ("resolved",), "resolved": ("closed", "open"),
        "closed": ("open",)}
EDITABLE = ("title", "description", "category", "status", "owner_id", "archived")
LIMITS = {"title": 200, "description": 5000}

# Lists filter on the scope joins alone and join the rest for the page only: Ladybug ran out of
# buffer pool (128 MB) planning all five joins for a whole list.
_SCOPE = ("MATCH (i:Issue)-[:ABOUT]->(p:Project) MATCH (p)-[:LOCATED_IN]->(d:District) "
          "OPTIONAL MATCH (p)-[:IN_LINK]->(n:ChainNode) WITH i, p, d, n ")
_JOINS = (
    "-[:ABOUT]->(p:Project) MATCH (p)-[:LOCATED_IN]->(d:District) "
    "OPTIONAL MATCH (p)-[:IN_LINK]->(n:ChainNode) OPTIONAL MATCH (i)-[:RAISED_BY]->(c:Company) "
    "OPTIONAL MATCH (i)-[:ASSIGNED_TO]->(u:User) WITH i, p, d, n, c, u ")
_RETURN = (
    "RETURN i AS issue, p.id AS project_id, p.name AS project_name, d.id AS district_id, "
    "d.name_zh AS district_name_zh, d.name_en AS district_name_en, n.chain_id AS chain_id, "
    "c.id AS company_id, c.name_zh AS company_name_zh, c.name_en AS company_name_en, "
    "u.id AS owner_id, u.display_name AS owner_name")
SORTS = {"opened_on": "i.opened_on", "resolved_on": "i.resolved_on", "created_at": "i.created_at",
         "updated_at": "i.updated_at", "status": "i.status", "category": "i.category", "title": "i.title"}


@dataclass
class Issue:
    id: str
    title: str
    category: str
    status: str
    project_id: str
    district_id: str
    description: str | None = None
    opened_on: date | None = None
    resolved_on: date | None = None
    project_name: str | None = None
    district_name_zh: str | None = None
    district_name_en: str | None = None
    chain_id: str | None = None
    company_id: str | None = None
    company_name_zh: str | None = None
    company_name_en: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(district=self.district_id, chain=self.chain_id)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Issue":
        return cls(**records.values_of(cls, row, "issue"))


@dataclass
class IssueQuery:
    status: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    owner: str | None = None
    district: str | None = None
    project: str | None = None
    company: str | None = None
    q: str | None = None
    opened_before: date | None = None  # with overdue(): the still-unresolved issues open too long
    archived: bool = False
    sort: str = "-opened_on"
    page: int = 1
    page_size: int = 50


def overdue_since(today: date, policy: dict[str, Any] | None = None) -> date:
    """Issues opened before this day and not resolved are overdue (policy firm_issues.overdue_after_days)."""
    return today - timedelta(days=int(section("firm_issues", policy)["overdue_after_days"]))


def check_move(current: str, to: str) -> None:
    """Raise InvalidTransition, with the allowed next steps, unless current → to is a step of FLOW."""
    if to == current:
        raise InvalidTransition(f"the issue is already {ISSUE_STATUSES.label(to)} ({to})")
    if to not in FLOW.get(current, ()):
        allowed = ", ".join(FLOW.get(current, ()))
        raise InvalidTransition(f"an issue cannot go from {current} to {to}; from {current} it may go to {allowed}")


def list_issues(store: Any, query: IssueQuery, *, actor: Actor) -> Page[Issue]:
    w = Where()
    w.add("i.archived = $archived", archived=query.archived)
    if query.status:
        w.add("i.status IN $statuses", statuses=list(query.status))
    if query.category:
        w.add("i.category IN $categories", categories=list(query.category))
    if query.district:
        w.add("d.id = $district", district=query.district)
    if query.project:
        w.add("p.id = $project", project=query.project)
    if query.owner:
        w.add("EXISTS { MATCH (i)-[:ASSIGNED_TO]->(:User {id: $owner}) }", owner=query.owner)
    if query.company:
        w.add("EXISTS { MATCH (i)-[:RAISED_BY]->(:Company {id: $company}) }", company=query.company)
    if query.opened_before:
        w.add("i.opened_on < $opened_before AND i.status IN ['open', 'in_progress']",
              opened_before=query.opened_before)
    text = search_text(query.q)
    if text:
        w.add("(toLower(i.title) CONTAINS $q OR toLower(p.name) CONTAINS $q OR "
              "EXISTS { MATCH (i)-[:RAISED_BY]->(c:Company) "
              "WHERE toLower(c.name_zh) CONTAINS $q OR toLower(c.name_en) CONTAINS $q })", q=text)
    fragment, params = scope_filter(actor, "d.id", "n.chain_id")
    w.add(fragment, **params)
    order = order_by(query.sort, SORTS, "i.id")
    total, found = read_page(store, _SCOPE + w.clause() + " RETURN count(i) AS n",
                             _SCOPE + w.clause() + f" WITH i {order} SKIP $skip LIMIT $limit RETURN i.id AS id",
                             w.params, page=query.page, page_size=query.page_size)
    ids = [r["id"] for r in found]
    rows = store.read("UNWIND $ids AS iid MATCH (i:Issue {id: iid})" + _JOINS + _RETURN, {"ids": ids}) if ids else []
    by_id = {r["issue"]["id"]: Issue.from_row(r) for r in rows}
    return Page([by_id[i] for i in ids], total, query.page, query.page_size)


def fetch(reader: Any, issue_id: str) -> Issue:
    run = read_with(reader)
    rows = run("MATCH (i:Issue {id: $id})" + _JOINS + _RETURN, {"id": issue_id})
    if not rows:
        raise NotFound("Issue", issue_id)
    return Issue.from_row(rows[0])


def get_issue(store: Any, issue_id: str, *, actor: Actor) -> Issue:
    """An issue the actor may read; another district's issue is not found, not forbidden."""
    issue = fetch(store, issue_id)
    if not can_read(actor, issue.scope):
        raise NotFound("Issue", issue_id)
    return issue


def validate(data: dict[str, Any], *, creating: bool, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("project_id", "category", "title") if creating else ():
        if not (data.get(name) or "").strip():
            errors[name] = ["required"]
    if "title" in data and not creating and not (data["title"] or "").strip():
        errors["title"] = ["cannot be empty"]
    for name, limit in LIMITS.items():
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors[name] = [f"text of at most {limit} characters"]
    if data.get("category") and data["category"] not in ISSUE_CATEGORIES:
        errors["category"] = [f"must be one of {', '.join(ISSUE_CATEGORIES.values)}"]
    if data.get("status") is not None and data["status"] not in ISSUE_STATUSES:
        errors["status"] = [f"must be one of {', '.join(ISSUE_STATUSES.values)}"]
    opened = data.get("opened_on")
    if opened is not None and (not isinstance(opened, date) or opened > today):
        errors["opened_on"] = ["a date no later than today"]
    return errors


def _readable_project(store: Any, project_id: str, actor: Actor) -> projects.Project:
    """The project, if the actor may see it; an unseen one is reported as missing input."""
    try:
        project = projects.fetch(store, project_id)
    except NotFound:
        project = None
    if project is None or not can_read(actor, project.scope):
        raise ValidationFailed({"project_id": [f"no Project with id {project_id!r}"]})
    return project


def create_issue(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> Issue:
    """Log an issue as open, raised by the project's investor, optionally with an owner."""
    errors = validate(data, creating=True, today=local_today(now))
    if errors:
        raise ValidationFailed(errors)
    project = _readable_project(store, data["project_id"], actor)
    require(can_write(actor, project.scope), "log issues on this project")

    def work(tx: Any) -> str:
        if data.get("owner_id"):
            problems = check_exists(tx, "User", data["owner_id"], "owner_id")
            if problems:
                raise ValidationFailed(problems)
        props = {k: data.get(k) for k in ("id", "title", "description", "category", "synthetic")}
        props.update(status="open", opened_on=data.get("opened_on") or local_today(now))
        links = {"project_id": (None, project.id), "company_id": (None, project.company_id)}
        if data.get("owner_id"):
            links["owner_id"] = (None, data["owner_id"])
        record = records.create(tx, "Issue", props, actor=actor, now=now, prefix="issue", extra_audit=links,
                                links=[("ABOUT", "Project", project.id), ("RAISED_BY", "Company", project.company_id),
                                       ("ASSIGNED_TO", "User", data.get("owner_id"))])
        return record["id"]

    return fetch(store, store.transaction(work))


def update_issue(store: Any, issue_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                 expected_version: int | None) -> Issue:
    """Edit, reassign or move an issue's status; resolving stamps resolved_on, re-opening clears it."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed({k: ["cannot be changed here"] for k in sorted(unknown)})
    errors = validate(changes, creating=False, today=local_today(now))
    if errors:
        raise ValidationFailed(errors)
    issue = get_issue(store, issue_id, actor=actor)
    only_owner = set(changes) <= {"owner_id"}
    require(can_assign(actor, issue.scope) if only_owner else can_write(actor, issue.scope), "change this issue")
    fields = {k: v for k, v in changes.items() if k in EDITABLE and k != "owner_id"}
    to: str | None = changes.get("status")
    moved = False
    if to is not None and to != issue.status:
        check_move(issue.status, to)
        moved = True
        if to == "resolved":
            fields["resolved_on"] = local_today(now)
        elif to == "open":
            fields["resolved_on"] = None
    owner_moved = "owner_id" in changes and changes["owner_id"] != issue.owner_id

    def work(tx: Any) -> None:
        if owner_moved and changes["owner_id"]:
            problems = check_exists(tx, "User", changes["owner_id"], "owner_id")
            if problems:
                raise ValidationFailed(problems)
        extra = {"owner_id": (issue.owner_id, changes["owner_id"])} if owner_moved else None
        records.update(tx, "Issue", issue_id, fields, actor=actor, now=now, expected_version=expected_version,
                       action="status" if moved else "update", extra_audit=extra)
        if owner_moved:
            records.relink(tx, "ASSIGNED_TO", "Issue", issue_id, "User", changes["owner_id"])

    store.transaction(work)
    return fetch(store, issue_id)
