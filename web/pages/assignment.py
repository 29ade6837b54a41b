"""Assignment rules in the pages (staff and admins): which colleague a new lead of a chain and/or
district goes to, lower position first; the same crm calls and checks as /api/v1/assignment-rules."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.base import pickers
from crm.base.clock import local_today
from crm.pipeline import assignment
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, store
from web.pages.forms import FormData
from web.pages.listing import PAGE_SIZE, page_number


def _choices() -> dict[str, Any]:
    return {"people": pickers.people(store()), "chains": pickers.chains(store()),
            "districts": pickers.districts(store(), today=local_today(now()))}


def _fields(form: FormData) -> dict[str, Any]:
    values = {"user_id": form.text("user_id"), "chain_id": form.text("chain_id"),
              "district_id": form.text("district_id"), "note": form.text("note")}
    position = form.whole("position")
    return values | ({"position": position} if position is not None else {})


@blp.get("/assignment-rules", endpoint="assignment_rules")
def rule_list():
    assignment.require_manager(actor())
    archived = request.args.get("archived") == "1"
    page = assignment.list_rules(store(), actor=actor(), archived=archived, page=page_number(), page_size=PAGE_SIZE)
    return render_template("assignment/list.html", page=page, archived=archived,
                           names={o.id: o for o in _choices()["chains"] + _choices()["districts"]})


@blp.route("/assignment-rules/new", methods=["GET", "POST"])
def new_rule():
    assignment.require_manager(actor())
    errors: FormErrors = {}
    values: dict[str, Any] = {"position": 100}
    if request.method == "POST":
        form = FormData(request.form)
        values = _fields(form)
        created, errors = attempt(lambda: assignment.create_rule(store(), values, actor=actor(), now=now()),
                                  form.errors)
        if created is not None:
            flash(_("Assignment rule saved."), "success")
            return redirect(url_for("pages.assignment_rules"))
    return render_template("assignment/form.html", rule=None, values=values, errors=errors,
                           **_choices()), (422 if errors else 200)


@blp.route("/assignment-rules/<rule_id>/edit", methods=["GET", "POST"])
def edit_rule(rule_id: str):
    """Edit or archive a rule, checked against the version the form was read at."""
    assignment.require_manager(actor())
    rule = assignment.get_rule(store(), rule_id)
    errors: FormErrors = {}
    values: dict[str, Any] = {k: getattr(rule, k) for k in ("user_id", "chain_id", "district_id", "position", "note",
                                                             "archived")}
    version: int | None = rule.version
    if request.method == "POST":
        form = FormData(request.form)
        values = _fields(form) | {"archived": form.flag("archived")}
        version = form.version()
        changes = {k: v for k, v in values.items() if k != "user_id" or v}
        if not values["user_id"]:
            form.errors["user_id"] = [_("This field is required.")]
        changed, errors = attempt(lambda: assignment.update_rule(store(), rule_id, changes, actor=actor(),
                                                                 now=now(), expected_version=version), form.errors)
        if changed is not None:
            flash(_("Assignment rule saved."), "success")
            return redirect(url_for("pages.assignment_rules"))
    return render_template("assignment/form.html", rule=rule, values=values, errors=errors, version=version,
                           **_choices()), (422 if errors else 200)
