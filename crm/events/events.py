"""Events and roadshows (任务 9; requirements P3): expos, fairs, forums, roadshows abroad, video
links and cloud signings, each with dates, place, owner, focus chains and a task checklist.

Creating an event writes its checklist from the `event_tasks:` template in seeds/policy.yaml,
each task on a working day counted from the event's first or last day; moving the event moves
its open checklist tasks, cancelling it cancels them. Every role reads the calendar; admins and
staff change any event, its owner changes theirs, and district officers may organise their own.
Targets, meetings and attribution are in crm/events/targets.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from crm.base import records
from crm.events import tasks
from crm.base.access import Actor, require
from crm.choices import EVENT_KINDS, EVENT_STATUSES
from crm.base.clock import local_today
from crm.errors import NotFound, ValidationFailed
from crm.policy import section
from crm.base.listing import Page, Where, order_by, read_page, search_text
from crm.base.checks import check_exists
from crm.base.workdays import WorkCalendar, add_working_days, calendar, on_or_after
from graph.cypher import read_with

EDITABLE = ("name_zh", "name_en", "kind", "start_on", "end_on", "city_zh", "city_en", "country", "status",
            "outcome", "archived")
LIMITS = {"name_zh": 200, "name_en": 200, "city_zh": 100, "city_en": 100, "country": 2, "outcome": 5000}
YEARS = (1900, 2999)  # the years an event may fall in, as for projects
_JOINS = ("OPTIONAL MATCH (e)-[:OWNED_BY]->(u:User) OPTIONAL MATCH (e)-[:FOCUSES_ON]->(ch:Chain) "
          "WITH e, u, collect(DISTINCT ch.id) AS chain_ids ")
_RETURN = ("RETURN e AS event, u.id AS owner_id, u.display_name AS owner_name, chain_ids, "
           "COUNT { MATCH (t:Task)-[:FOR_EVENT]->(e) WHERE t.status = 'open' } AS tasks_open, "
           "COUNT { MATCH (t:Task)-[:FOR_EVENT]->(e) WHERE t.status = 'done' } AS tasks_done, "
           "COUNT { MATCH (e)-[:INVITES]->(:Company) } AS targets")
SORTS = {"start_on": "e.start_on", "created_at": "e.created_at", "updated_at": "e.updated_at",
         "name": "e.name_zh", "kind": "e.kind"}


@dataclass
class Event:
    id: str
    name_zh: str
    kind: str
    start_on: date
    end_on: date
    status: str = "planned"
    name_en: str | None = None
    city_zh: str | None = None
    city_en: str | None = None
    country: str | None = None
    outcome: str | None = None
    series_id: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    chain_ids: list[str] = field(default_factory=list)
    tasks_open: int = 0
    tasks_done: int = 0
    targets: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Event":
        values = records.values_of(cls, row, "event")
        values["chain_ids"] = sorted(row.get("chain_ids") or [])
        return cls(**values)


@dataclass
class EventQuery:
    kind: str | None = None
    status: str | None = None
    chain: str | None = None
    owner: str | None = None
    series: str | None = None
    start_from: date | None = None
    start_to: date | None = None
    q: str | None = None
    archived: bool = False
    sort: str = "start_on"
    page: int = 1
    page_size: int = 50


def _where(query: EventQuery) -> Where:
    w = Where()
    w.add("coalesce(e.archived, false) = $archived", archived=query.archived)
    for name, expr in (("kind", "e.kind"), ("status", "e.status"), ("series", "e.series_id")):
        if getattr(query, name):
            w.add(f"{expr} = ${name}", **{name: getattr(query, name)})
    if query.start_from is not None:
        w.add("e.start_on >= $start_from", start_from=query.start_from)
    if query.start_to is not None:
        w.add("e.start_on <= $start_to", start_to=query.start_to)
    if query.chain:
        w.add("EXISTS { MATCH (e)-[:FOCUSES_ON]->(:Chain {id: $chain}) }", chain=query.chain)
    if query.owner:
        w.add("EXISTS { MATCH (e)-[:OWNED_BY]->(:User {id: $owner}) }", owner=query.owner)
    text = search_text(query.q)
    if text:
        w.add("(toLower(e.name_zh) CONTAINS $q OR toLower(coalesce(e.name_en, '')) CONTAINS $q OR "
              "toLower(coalesce(e.city_zh, '')) CONTAINS $q OR toLower(coalesce(e.city_en, '')) CONTAINS $q)", q=text)
    return w


def list_events(store: Any, query: EventQuery, *, actor: Actor) -> Page[Event]:
    """The event calendar, filtered, searched, sorted and paged (every role reads it)."""
    where = _where(query)
    order = order_by(query.sort, SORTS, "e.id")
    total, rows = read_page(store, "MATCH (e:Event) " + where.clause() + " RETURN count(e) AS n",
                            "MATCH (e:Event) " + where.clause() + " " + _JOINS + f"{order} SKIP $skip LIMIT $limit "
                            + _RETURN, where.params, page=query.page, page_size=query.page_size)
    return Page([Event.from_row(r) for r in rows], total, query.page, query.page_size)


def fetch(reader: Any, event_id: str) -> Event:
    run = read_with(reader)
    rows = run("MATCH (e:Event {id: $id}) " + _JOINS + _RETURN, {"id": event_id})
    if not rows:
        raise NotFound("Event", event_id)
    return Event.from_row(rows[0])


def get_event(store: Any, event_id: str, *, actor: Actor) -> Event:
    return fetch(store, event_id)


def may_change(actor: Actor, event: Event) -> bool:
    return actor.role in ("admin", "staff") or (event.owner_id is not None and event.owner_id == actor.id)


def checklist(start_on: date, end_on: date, *, today: date, template: list[dict[str, Any]] | None = None,
              cal: WorkCalendar | None = None) -> list[dict[str, Any]]:
    """The template's tasks with their working-day due dates; one already past falls due today.

    >>> [t["due_on"].isoformat() for t in checklist(date(2026, 11, 2), date(2026, 11, 6), today=date(2026, 9, 1),
    ...     template=[{"key": "brief", "offset": -5, "title_zh": "简报"},
    ...               {"key": "log", "offset": 2, "anchor": "end", "title_zh": "登记"}])]
    ['2026-10-26', '2026-11-10']
    """
    cal = cal or calendar()
    out = []
    items = template if template is not None else cast(list[dict[str, Any]], section("event_tasks"))
    for item in items:
        anchor = end_on if item.get("anchor") == "end" else start_on
        due = add_working_days(anchor, int(item["offset"]), cal)
        out.append({"template_key": item["key"], "title": item.get("title_zh") or item["key"],
                    "title_en": item.get("title_en"), "due_on": max(due, on_or_after(today, cal))})
    return out


def validate(data: dict[str, Any], *, creating: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("name_zh", "kind", "start_on"):
        if (creating or name in data) and not data.get(name):
            errors[name] = ["required"]
    if data.get("kind") and data["kind"] not in EVENT_KINDS:
        errors["kind"] = [f"must be one of {', '.join(EVENT_KINDS.values)}"]
    if data.get("status") and data["status"] not in EVENT_STATUSES:
        errors["status"] = [f"must be one of {', '.join(EVENT_STATUSES.values)}"]
    for name, limit in LIMITS.items():
        if isinstance(data.get(name), str) and len(data[name]) > limit:
            errors[name] = [f"at most {limit} characters"]
    for name in ("start_on", "end_on"):  # the checklist counts working days from them: year 1 or 9999 overflows
        day = data.get(name)
        if isinstance(day, date) and not YEARS[0] <= day.year <= YEARS[1]:
            errors[name] = [f"must be in the years {YEARS[0]} to {YEARS[1]}"]
    start, end = data.get("start_on"), data.get("end_on")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_on"] = ["cannot be before start_on"]
    return errors


def _check_refs(tx: Any, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if data.get("owner_id"):
        errors.update(check_exists(tx, "User", data["owner_id"], "owner_id"))
    if data.get("series_id"):
        errors.update(check_exists(tx, "EventSeries", data["series_id"], "series_id"))
    for chain in data.get("chain_ids") or []:
        if check_exists(tx, "Chain", chain, "chain_ids"):
            errors.setdefault("chain_ids", []).append(f"no Chain with id {chain!r}")
    if errors:
        raise ValidationFailed(errors)


def create_event(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> Event:
    """Add an event with its checklist (and, when asked, its target list: crm/events/targets.py)."""
    require(actor.role in ("admin", "staff", "district_officer"), "organise events")
    errors = validate(data, creating=True)
    if errors:
        raise ValidationFailed(errors)
    data = {**data, "end_on": data.get("end_on") or data["start_on"]}

    def work(tx: Any) -> str:
        _check_refs(tx, data)
        owner = data.get("owner_id") or (actor.id if check_exists(tx, "User", actor.id, "owner_id") == {} else None)
        props = {k: data.get(k) for k in EDITABLE if k not in ("archived",)}
        props.update(status=data.get("status") or "planned", series_id=data.get("series_id"),
                     synthetic=data.get("synthetic"), id=data.get("id"))
        record = records.create(tx, "Event", props, actor=actor, now=now, prefix="event",
                                extra_audit={"owner_id": (None, owner), "chain_ids": (None, data.get("chain_ids"))},
                                links=[("OWNED_BY", "User", owner),
                                       ("EDITION_OF", "EventSeries", data.get("series_id"))])
        _set_chains(tx, record["id"], data.get("chain_ids") or [])
        for item in checklist(data["start_on"], data["end_on"], today=local_today(now)):
            tasks.insert(tx, {**item, "event_id": record["id"], "owner_id": owner, "synthetic": data.get("synthetic")},
                         actor=actor, now=now)
        return record["id"]

    return fetch(store, store.transaction(work))


def _set_chains(tx: Any, event_id: str, chain_ids: list[str]) -> None:
    tx.run("MATCH (:Event {id: $id})-[r:FOCUSES_ON]->(:Chain) DELETE r", {"id": event_id})
    for chain in chain_ids:
        tx.run("MATCH (e:Event {id: $id}) MATCH (c:Chain {id: $c}) CREATE (e)-[:FOCUSES_ON]->(c)",
               {"id": event_id, "c": chain})


def update_event(store: Any, event_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                 expected_version: int | None) -> Event:
    """Edit an event; new dates move its open checklist tasks, cancelling it cancels them."""
    unknown = set(changes) - set(EDITABLE) - {"owner_id", "chain_ids"}
    errors = {k: ["cannot be changed here"] for k in sorted(unknown)}
    event = get_event(store, event_id, actor=actor)
    if "end_on" in changes and changes["end_on"] is None:  # as when creating: a one-day event
        changes = {**changes, "end_on": changes.get("start_on") or event.start_on}
    errors.update(validate({"start_on": event.start_on, "end_on": event.end_on, **changes}, creating=False))
    if errors:
        raise ValidationFailed(errors)
    require(may_change(actor, event), "change this event")
    fields = {k: v for k, v in changes.items() if k in EDITABLE}

    def work(tx: Any) -> None:
        _check_refs(tx, changes)
        diff: dict[str, tuple[Any, Any]] = {k: (getattr(event, k), changes[k]) for k in ("owner_id", "chain_ids")
                if k in changes and getattr(event, k) != changes[k]}
        records.update(tx, "Event", event_id, fields, actor=actor, now=now, expected_version=expected_version,
                       extra_audit=diff)
        if "owner_id" in diff:
            records.relink(tx, "OWNED_BY", "Event", event_id, "User", changes["owner_id"])
        if "chain_ids" in diff:
            _set_chains(tx, event_id, changes["chain_ids"] or [])
        if changes.get("status") == "cancelled":
            tx.run("MATCH (t:Task)-[:FOR_EVENT]->(:Event {id: $id}) WHERE t.status = 'open' "
                   "SET t.status = 'cancelled', t.updated_at = $now, t.version = t.version + 1", {"id": event_id, "now": now})
        if "start_on" in changes or "end_on" in changes:
            _redate(tx, event_id, changes.get("start_on", event.start_on), changes.get("end_on", event.end_on), now)

    store.transaction(work)
    return fetch(store, event_id)


def _redate(tx: Any, event_id: str, start_on: date, end_on: date, now: datetime) -> None:
    due = {t["template_key"]: t["due_on"] for t in checklist(start_on, end_on, today=local_today(now))}
    rows = tx.run("MATCH (t:Task)-[:FOR_EVENT]->(:Event {id: $id}) WHERE t.status = 'open' "
                  "RETURN t.id AS id, t.template_key AS key", {"id": event_id})
    for row in rows:
        if row["key"] in due:
            tx.run("MATCH (t:Task {id: $id}) SET t.due_on = $due, t.updated_at = $now, t.version = t.version + 1, "
                   "t.reminded_at = NULL, t.overdue_notified_at = NULL", {"id": row["id"], "due": due[row["key"]], "now": now})
