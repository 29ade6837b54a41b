"""Events and roadshows (requirements P3): the calendar, upcoming first, and each event's page with
its targets, checklist, meetings and what it brought in; forms to invite the best-ranked
candidates, record a meeting and complete a task.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.base import pickers
from crm.events import events, targets as event_targets
from crm.base.access import can_write, require
from crm.base.clock import local_today
from crm.events.summary import event_page, task_titles
from crm.events.events import may_change
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, store
from web.pages.forms import FormData
from web.pages.listing import PAGE_SIZE, list_args, page_number
from web.schemas.events import EventListArgs

LIST_ARGS = EventListArgs()


@blp.get("/events", endpoint="events")
def event_list():
    """Upcoming events first (soonest at the top), then past ones, latest first; the filters apply to both."""
    args, dropped = list_args(LIST_ARGS)
    args.pop("sort", None)
    today = local_today(now())
    when = request.args.get("when") if request.args.get("when") in ("upcoming", "past") else ""
    upcoming = past = None
    if when != "past":
        upcoming = events.list_events(store(), events.EventQuery(**{**args, "start_from": max(
            args.get("start_from") or today, today)}, sort="start_on", page_size=PAGE_SIZE), actor=actor())
    if when != "upcoming":
        to = min(args.get("start_to") or today - timedelta(days=1), today - timedelta(days=1))
        past = events.list_events(store(), events.EventQuery(**{**args, "start_to": to}, sort="-start_on",
                                                             page=page_number(), page_size=PAGE_SIZE), actor=actor())
    chains = pickers.chains(store())
    return render_template("events/list.html", upcoming=upcoming, past=past, when=when, args=args, dropped=dropped,
                           chains=chains, chains_by_id={c.id: c for c in chains}, owners=pickers.people(store()),
                           today=today)


ORGANISERS = ("admin", "staff", "district_officer")  # who may add events (crm.events.events.create_event)


@blp.route("/events/new", methods=["GET", "POST"])
def new_event():
    """A new event; its checklist of tasks is made from the template, on working days before and after it."""
    require(actor().role in ORGANISERS, "organise events")
    errors: FormErrors = {}
    values: dict[str, Any] = {"kind": "roadshow_abroad", "owner_id": actor().id}
    if request.method == "POST":
        form = FormData(request.form)
        values = _event_fields(form)
        data = {k: v for k, v in values.items() if v not in (None, [])}
        created, errors = attempt(lambda: events.create_event(store(), data, actor=actor(), now=now()), form.errors)
        if created is not None:
            flash(_("Event created with its checklist of tasks."), "success")
            return redirect(url_for("pages.event", event_id=created.id))
    return _form_page(None, values, errors)


@blp.route("/events/<event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: str):
    """Edit an event; new dates move its open tasks, cancelling it cancels them (crm.events.events.update_event)."""
    event = events.get_event(store(), event_id, actor=actor())
    require(may_change(actor(), event), "change this event")
    errors: FormErrors = {}
    values: dict[str, Any] = {k: getattr(event, k) for k in (*EVENT_FIELDS, "status", "outcome")}
    if request.method == "POST":
        form = FormData(request.form)
        values = {**_event_fields(form), "status": form.text("status"), "outcome": form.text("outcome")}
        version = form.version()
        changes = {k: v for k, v in values.items() if v != getattr(event, k) and (v is not None or k != "status")}
        changed, errors = attempt(lambda: events.update_event(store(), event_id, changes, actor=actor(), now=now(),
                                                              expected_version=version), form.errors)
        if changed is not None:
            flash(_("Event saved."), "success")
            return redirect(url_for("pages.event", event_id=event_id))
    return _form_page(event, values, errors)


EVENT_FIELDS = ("name_zh", "name_en", "kind", "start_on", "end_on", "city_zh", "city_en", "country", "owner_id",
                "chain_ids")


def _event_fields(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {k: form.text(k) for k in EVENT_FIELDS}
    values.update(start_on=form.day("start_on"), end_on=form.day("end_on"), chain_ids=sorted(form.many("chain_ids")),
                  country=(values["country"] or "").upper() or None)
    return values


def _form_page(event: events.Event | None, values: dict[str, Any], errors: FormErrors):
    return render_template("events/form.html", event=event, values=values, errors=errors,
                           chains=pickers.chains(store()), owners=pickers.people(store())), (422 if errors else 200)


def render_event(event_id: str, *, form: str | None = None, errors: FormErrors | None = None,
                 values: dict[str, Any] | None = None, status: int = 200):
    me = actor()
    page = event_page(store(), event_id, actor=me, now=now())
    chains = {c.id: c for c in pickers.chains(store())}
    focus_links = [link for link in pickers.links(store()) if link.group in page.event.chain_ids]
    only = list(me.districts) if me.role == "district_officer" else None
    return render_template(
        "events/detail.html", page=page, e=page.event, chains=chains, focus_links=focus_links,
        districts=pickers.districts(store(), today=local_today(now()), only=only),
        titles=task_titles(), default_top=event_targets.default_top(), today=local_today(now()),
        may={"change": may_change(me, page.event), "meet": can_write(me) or me.role == "district_officer",
             "tasks": {t.id: me.role in ("admin", "staff") or me.id in (t.owner_id, t.event_owner_id)
                       for t in page.tasks}},
        errors_for={form: errors or {}} if form else {}, values=values or {}), status


@blp.get("/events/<event_id>", endpoint="event")
def event(event_id: str):
    return render_event(event_id)


def _redraw(event_id: str, form: str, errors: FormErrors):
    return render_event(event_id, form=form, errors=errors, values=request.form.to_dict(), status=422)


@blp.post("/events/<event_id>/targets")
def add_event_targets(event_id: str):
    """Invite the N best-ranked candidates of the event's focus chains (任务 9 靶向招商)."""
    form = FormData(request.form)
    top, version = form.whole("top"), form.version()
    added, errors = attempt(lambda: event_targets.add_targets(store(), event_id, {"top": top}, actor=actor(), now=now(),
                                                              expected_version=version), form.errors)
    if added is None:
        return _redraw(event_id, "targets", errors)
    flash(_("The target list now has %(n)s companies.", n=len(added)), "success")
    return redirect(url_for("pages.event", event_id=event_id, _anchor="targets"))


@blp.post("/events/<event_id>/meetings")
def record_event_meeting(event_id: str):
    """A meeting held at the event: on a lead, or with a target firm for a link (which opens a lead)."""
    form = FormData(request.form)
    data = {"lead_id": form.text("lead_id"), "outcome": form.text("outcome"), "due_on": form.day("held_on"),
            "kind": form.text("kind") or "roadshow_meeting", "title": form.text("title")}
    if not data["lead_id"]:
        data.update(company_id=form.text("company_id"), link_id=form.text("link_id"),
                    district_id=form.text("district_id"))
    if not data["outcome"]:
        form.errors["outcome"] = [_("Write what came of the meeting.")]
    clean = {k: v for k, v in data.items() if v is not None}
    done, errors = attempt(lambda: event_targets.record_meeting(store(), event_id, clean, actor=actor(), now=now()),
                           form.errors)
    if done is None:
        return _redraw(event_id, "meeting", errors)
    flash(_("Meeting recorded."), "success")
    return redirect(url_for("pages.event", event_id=event_id, _anchor="meetings"))
