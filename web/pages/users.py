"""User accounts (admins): the list, adding someone, changing a role or scope, disabling an account."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from crm.base import pickers
from crm.people import users
from crm.base.access import require_admin
from crm.base.clock import local_today
from crm.errors import ValidationFailed
from web.pages import blp
from web.pages.common import FormErrors, actor, attempt, now, store
from web.pages.forms import FormData


def _admin() -> None:
    require_admin(actor(), "manage users")


def _choices() -> dict[str, Any]:
    return {"districts": pickers.districts(store(), today=local_today(now())), "chains": pickers.chains(store())}


@blp.get("/users", endpoint="users")
def user_list():
    _admin()
    return render_template("users/list.html", people=users.list_users(store()),
                           names={o.id: o for o in _choices()["districts"] + _choices()["chains"]})


def _profile(form: FormData) -> dict[str, Any]:
    return {"display_name": form.text("display_name") or "", "email": form.text("email"), "role": form.text("role") or "",
            "locale": form.text("locale") or "zh", "districts": form.many("districts"), "chains": form.many("chains")}


@blp.route("/users/new", methods=["GET", "POST"])
def new_user():
    _admin()
    errors: FormErrors = {}
    values: dict[str, Any] = {"role": "staff", "locale": "zh", "districts": [], "chains": []}
    if request.method == "POST":
        form = FormData(request.form)
        values = {**_profile(form), "username": form.text("username") or ""}
        password = request.form.get("password", "")
        created, errors = attempt(lambda: users.create_user(store(), password=password, actor=actor(), now=now(),
                                                            **values), form.errors, conflict_field="username")
        if created is not None:
            flash(_("User %(name)s added.", name=created.username), "success")
            return redirect(url_for("pages.users"))
    return render_template("users/form.html", person=None, values=values, errors=errors,
                           **_choices()), (422 if errors else 200)


@blp.route("/users/<user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: str):
    """Role, scope, name and state, checked against the version the form was read at."""
    _admin()
    person = users.get_user(store(), user_id)
    errors: FormErrors = {}
    values: dict[str, Any] = {k: getattr(person, k) for k in ("display_name", "email", "role", "locale", "active",
                                                               "districts", "chains")}
    version: int | None = person.version
    if request.method == "POST":
        form = FormData(request.form)
        values = {**_profile(form), "active": form.flag("active")}
        version = form.version()
        password = request.form.get("password", "")
        current = request.form.get("current_password") or None
        changed, errors = attempt(lambda: _save(user_id, values, password, version, current), form.errors)
        if changed is not None:
            flash(_("User %(name)s saved.", name=changed.username), "success")
            return redirect(url_for("pages.users"))
    return render_template("users/form.html", person=person, values=values, errors=errors, version=version,
                           **_choices()), (422 if errors else 200)


def _save(user_id: str, values: dict[str, Any], password: str, version: int | None,
          current: str | None) -> users.User:
    """The profile, then the new password when one was typed (checked first, so a bad one saves nothing)."""
    if password and len(password) < users.MIN_PASSWORD:
        raise ValidationFailed({"password": [f"at least {users.MIN_PASSWORD} characters"]})
    if password and user_id == actor().id and not users.password_matches(store(), user_id, current or ""):
        raise ValidationFailed({"current_password": ["does not match your current password"]})
    changed = users.update_user(store(), user_id, values, actor=actor(), now=now(), expected_version=version)
    if password:
        users.set_password(store(), user_id, password, actor=actor(), now=now(), current=current,
                           keep_session=session.get("sid"))
    return changed


@blp.post("/users/<user_id>/active")
def set_active(user_id: str):
    """Disable (or enable again) an account; a disabled user can neither log in nor use a token."""
    _admin()
    form = FormData(request.form)
    active = form.flag("active")
    changed, errors = attempt(lambda: users.update_user(store(), user_id, {"active": active}, actor=actor(),
                                                        now=now(), expected_version=form.version()), form.errors)
    if changed is None:
        for message in [m for messages in errors.values() for m in messages]:
            flash(message, "error")
    else:
        flash(_("%(name)s can log in again.", name=changed.username) if active
              else _("%(name)s is disabled.", name=changed.username), "success")
    return redirect(url_for("pages.users"))
