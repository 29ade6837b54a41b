"""Follow-ups (requirements P2): calls, video links, visits and meetings about a lead or a project.

A follow-up takes the access scope of its lead or project, has an owner and a due time on a
Chinese working day, and is open, done or cancelled. Days count in Chongqing: a follow-up is
due today when its due time falls on today's date there, and overdue once that date has passed.
Completing one is in crm/followups/completion.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.pipeline import leads
from crm.projects import projects
from crm.base.access import Actor, Scope, can_read, can_write, require, scope_filter
from crm.choices import FOLLOWUP_KINDS, FOLLOWUP_STATUSES
from crm.base.clock import SHANGHAI
from crm.errors import InvalidTransition, NotFound, ValidationFailed
from crm.base.listing import Page, Where, order_by, read_page
from crm.base.checks import check_exists
from crm.base.workdays import day_bounds, due_at, roll_forward
from graph.cypher import read_with

REFS = {
    "lead_id": ("ABOUT", "Lead"),
    "project_id": ("ABOUT", "Project"),
    "owner_id": ("ASSIGNED_TO", "User"),
    "event_id": ("HELD_AT", "Event"),
}
EDITABLE = ("title", "kind", "due_at", "notes", "status", "archived")
LIMITS = {"title": 200, "notes": 5000, "outcome": 5000}

# Joined after the page is chosen, each from the follow-up by key; the lead's district and chain are
# its mirrored ids (a join to them cost Ladybug a scan of every lead's relationships).
_JOINS = (
    "OPTIONAL MATCH (f)-[:ABOUT]->(l:Lead) OPTIONAL MATCH (f)-[:ABOUT]->(p:Project) "
    "OPTIONAL MATCH (p)-[:LOCATED_IN]->(pd:District) OPTIONAL MATCH (p)-[:IN_LINK]->(pn:ChainNode) "
    "OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(u:User) OPTIONAL MATCH (f)-[:HELD_AT]->(e:Event) ")
_RETURN = (
    "RETURN f AS followup, l.id AS lead_id, l.title AS lead_title, p.id AS project_id, p.name AS project_name, "
    "u.id AS owner_id, u.display_name AS owner_name, coalesce(l.district_id, pd.id) AS district_id, "
    "coalesce(l.chain_id, pn.chain_id) AS chain_id, e.id AS event_id, e.name_zh AS event_name_zh")
SORTS = {"due_at": "f.due_at", "created_at": "f.created_at", "updated_at": "f.updated_at",
         "done_at": "f.done_at", "kind": "f.kind", "status": "f.status"}


@dataclass
class FollowUp:
    id: str
    kind: str
    status: str
    due_at: datetime
    title: str = ""
    done_at: datetime | None = None
    outcome: str | None = None
    notes: str | None = None
    escalated_at: datetime | None = None
    lead_id: str | None = None
    lead_title: str | None = None
    project_id: str | None = None
    project_name: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    event_id: str | None = None
    event_name_zh: str | None = None
    district_id: str | None = None
    chain_id: str | None = None
    next_id: str | None = None
    previous_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False
    overdue: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(district=self.district_id, chain=self.chain_id)

    @property
    def record(self) -> tuple[str, str]:
        return ("Lead", self.lead_id) if self.lead_id else ("Project", self.project_id or "")

    @classmethod
    def from_row(cls, row: dict[str, Any], now: datetime | None = None) -> "FollowUp":
        item = cls(**records.values_of(cls, row, "followup"))
        if now is not None:
            item.overdue = item.status == "open" and item.due_at < day_bounds(now)[0]
        return item


@dataclass
class FollowUpQuery:
    mine: bool = False
    owner: str | None = None
    lead: str | None = None
    project: str | None = None
    event: str | None = None
    status: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    due_before: datetime | None = None
    due_after: datetime | None = None
    overdue: bool | None = None
    escalated: bool | None = None
    archived: bool = False
    sort: str = "due_at"
    page: int = 1
    page_size: int = 50


def _where(query: FollowUpQuery, actor: Actor, now: datetime) -> tuple[str, Where]:
    """The MATCH (anchored on the lead, project, owner or event asked for) and the conditions,
    all on the follow-up itself or as EXISTS on its lead or project (the reader's scope)."""
    match, own = ["MATCH (f:FollowUp)"], Where()
    anchors = (("lead", "-[:ABOUT]->(:Lead {id: $lead})"), ("project", "-[:ABOUT]->(:Project {id: $project})"),
               ("owner", "-[:ASSIGNED_TO]->(:User {id: $owner})"), ("mine", "-[:ASSIGNED_TO]->(:User {id: $mine})"),
               ("event", "-[:HELD_AT]->(:Event {id: $event})"))
    for name, pattern in anchors:
        value = getattr(query, name)
        if value:
            match.append(f"MATCH (f){pattern}")
            own.params[name] = actor.id if name == "mine" else value
    own.add("f.archived = $archived", archived=query.archived)
    if query.status:
        own.add("f.status IN $statuses", statuses=list(query.status))
    if query.kind:
        own.add("f.kind IN $kinds", kinds=list(query.kind))
    if query.due_before is not None:
        own.add("f.due_at < $due_before", due_before=query.due_before)
    if query.due_after is not None:
        own.add("f.due_at >= $due_after", due_after=query.due_after)
    if query.overdue is not None:
        cond = "f.status = 'open' AND f.due_at < $today"
        own.add(cond if query.overdue else f"NOT ({cond})", today=day_bounds(now)[0])
    if query.escalated is not None:
        own.add("f.escalated_at IS NOT NULL" if query.escalated else "f.escalated_at IS NULL")
    on_lead, params = scope_filter(actor, "x.district_id", "x.chain_id")
    if on_lead:
        on_project, _ = scope_filter(actor, "y.id", "y.chain_id")
        path = "[:LOCATED_IN]->(y:District)" if "scope_districts" in params else "[:IN_LINK]->(y:ChainNode)"
        own.add(f"(EXISTS {{ MATCH (f)-[:ABOUT]->(x:Lead) WHERE {on_lead} }} OR "
                f"EXISTS {{ MATCH (f)-[:ABOUT]->(:Project)-{path} WHERE {on_project} }})", **params)
    return " ".join(match) + " ", own


def list_followups(store: Any, query: FollowUpQuery, *, actor: Actor, now: datetime) -> Page[FollowUp]:
    """Follow-ups the actor may read, filtered, sorted and paged.

    Filters and sort keys are the follow-up's own properties (or an anchor on one lead, project,
    owner or event), so the page is chosen before anything is joined: on 200,000 follow-ups
    joining first took seconds.
    """
    match, own = _where(query, actor, now)
    params = own.params
    head = match + own.clause() + " "
    order = order_by(query.sort, SORTS, "f.id")
    total, rows = read_page(store, head + "RETURN count(f) AS n",
                            head + f"WITH f {order} SKIP $skip LIMIT $limit RETURN f.id AS id", params,
                            page=query.page, page_size=query.page_size)
    return Page(fetch_many(store, [r["id"] for r in rows], now), total, query.page, query.page_size)


def fetch_many(reader: Any, ids: list[str], now: datetime | None = None) -> list[FollowUp]:
    """Follow-ups by id, in the order given."""
    if not ids:
        return []
    run = read_with(reader)
    rows = run("UNWIND $ids AS i MATCH (f:FollowUp {id: i}) " + _JOINS + _RETURN, {"ids": ids})
    found = {r["followup"]["id"]: FollowUp.from_row(r, now) for r in rows}
    return [found[i] for i in ids if i in found]


def fetch(reader: Any, followup_id: str, now: datetime | None = None) -> FollowUp:
    run = read_with(reader)
    rows = run("MATCH (f:FollowUp {id: $id}) " + _JOINS + _RETURN, {"id": followup_id})
    if not rows:
        raise NotFound("FollowUp", followup_id)
    return FollowUp.from_row(rows[0], now)


def get_followup(store: Any, followup_id: str, *, actor: Actor, now: datetime) -> FollowUp:
    """A follow-up the actor may read; others are reported as not found, not as forbidden."""
    item = fetch(store, followup_id, now)
    if not (can_read(actor, item.scope) or item.owner_id == actor.id):
        raise NotFound("FollowUp", followup_id)
    return item


def may_change(actor: Actor, item: FollowUp) -> bool:
    return can_write(actor, item.scope) or (item.owner_id is not None and item.owner_id == actor.id)


def due_from(data: dict[str, Any]) -> datetime | None:
    """A due date lands at the policy hour; a due time on a day off moves to the next working day.

    A time without a zone is Chongqing wall-clock time.
    """
    if isinstance(data.get("due_on"), date):
        return due_at(data["due_on"])
    moment = data.get("due_at")
    if not isinstance(moment, datetime):
        return None
    return roll_forward(moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI))


def validate(data: dict[str, Any], *, creating: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if creating:
        if bool(data.get("lead_id")) == bool(data.get("project_id")):
            errors["lead_id"] = ["give either lead_id or project_id"]
        if data.get("due_at") is None and data.get("due_on") is None:
            errors["due_at"] = ["required (or due_on)"]
    if data.get("kind") is not None and data["kind"] not in FOLLOWUP_KINDS:
        errors["kind"] = [f"must be one of {', '.join(FOLLOWUP_KINDS.values)}"]
    if data.get("status") is not None and data["status"] not in FOLLOWUP_STATUSES:
        errors["status"] = [f"must be one of {', '.join(FOLLOWUP_STATUSES.values)}"]
    for name, limit in LIMITS.items():
        if isinstance(data.get(name), str) and len(data[name]) > limit:
            errors[name] = [f"at most {limit} characters"]
    return errors


def record_scope(tx: Any, label: str, record_id: str) -> tuple[Scope, str | None]:
    """The access scope and owner of the lead or project a follow-up is about."""
    if label == "Lead":
        return leads.scope_of(tx, record_id)
    item = projects.fetch(tx, record_id)
    return item.scope, item.owner_id


def insert(tx: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> str:
    """Write an open follow-up and its relationships (references already checked)."""
    props = {"kind": data.get("kind") or "call", "title": data.get("title") or "", "status": "open",
             "due_at": data["due_at"], "notes": data.get("notes"), "previous_id": data.get("previous_id"),
             "synthetic": data.get("synthetic"), "id": data.get("id")}
    record = records.create(tx, "FollowUp", props, actor=actor, now=now, prefix="fu",
                            links=[(rel, label, data.get(name)) for name, (rel, label) in REFS.items()])
    return record["id"]


def create_followup(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> FollowUp:
    """Schedule a follow-up on a lead or project the actor may work on (owner: the record's, else the actor)."""
    errors = validate(data, creating=True)
    if errors:
        raise ValidationFailed(errors)
    data = {**data, "due_at": due_from(data)}

    def work(tx: Any) -> str:
        problems: dict[str, list[str]] = {}
        field, label = ("lead_id", "Lead") if data.get("lead_id") else ("project_id", "Project")
        for name, (_, ref_label) in REFS.items():
            if data.get(name) and name != field:
                problems.update(check_exists(tx, ref_label, data[name], name))
        try:  # the record's scope, read by key, also tells that it exists
            scope, owner = record_scope(tx, label, data[field])
        except NotFound:
            problems.update(check_exists(tx, label, data[field], field))
        if problems:
            raise ValidationFailed(problems)
        if not can_read(actor, scope):  # as missing as an unknown id, like issues and notes on unseen records
            raise ValidationFailed({field: [f"no {label} with id {data[field]!r}"]})
        require(can_write(actor, scope), "schedule follow-ups here")
        if not data.get("owner_id"):
            mine = tx.run("MATCH (u:User {id: $id}) RETURN u.id AS id", {"id": actor.id})
            data["owner_id"] = owner or (actor.id if mine else None)
        return insert(tx, data, actor=actor, now=now)

    return fetch(store, store.transaction(work), now)


def update_followup(store: Any, followup_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                    expected_version: int | None) -> FollowUp:
    """Edit, reschedule, reassign or cancel an open follow-up; completing is `completion.complete`."""
    unknown = set(changes) - set(EDITABLE) - {"due_on", "owner_id", "event_id"}
    if unknown:
        raise ValidationFailed({k: ["cannot be changed here"] for k in sorted(unknown)})
    errors = validate(changes, creating=False)
    if changes.get("status") == "done":
        errors["status"] = ["complete a follow-up through its complete action, with an outcome"]
    if errors:
        raise ValidationFailed(errors)
    item = get_followup(store, followup_id, actor=actor, now=now)
    require(may_change(actor, item), "change this follow-up")
    fields = {k: v for k, v in changes.items() if k in EDITABLE and k != "due_at"}
    if "due_at" in changes or "due_on" in changes:
        due = due_from(changes)
        if due is None:
            raise ValidationFailed({"due_at": ["cannot be empty"]})
        fields.update(due_at=due, reminded_at=None, overdue_notified_at=None, escalated_at=None)
    if item.status != "open" and set(fields) - {"notes", "archived"}:
        raise InvalidTransition(f"the follow-up is {item.status}: only its notes may change")

    def work(tx: Any) -> None:
        refs: dict[str, Any] = {k: changes[k] for k in ("owner_id", "event_id") if k in changes}
        problems: dict[str, list[str]] = {}
        for name, value in refs.items():
            if value:
                problems.update(check_exists(tx, REFS[name][1], value, name))
        if problems:
            raise ValidationFailed(problems)
        diff: dict[str, tuple[Any, Any]] = {k: (getattr(item, k), v) for k, v in refs.items()
                                            if getattr(item, k) != v}
        records.update(tx, "FollowUp", followup_id, fields, actor=actor, now=now,
                       expected_version=expected_version, extra_audit=diff)
        for ref in diff:
            rel, label = REFS[ref]
            records.relink(tx, rel, "FollowUp", followup_id, label, changes[ref])

    store.transaction(work)
    return fetch(store, followup_id, now)
