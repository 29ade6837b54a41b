"""Logging in and out, and choosing the language."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from crm.people import sessions
from web.pages import blp
from web.pages.common import now, safe_next, store
from web.throttle import throttle
from web.i18n import LOCALES


@blp.route("/login", methods=["GET", "POST"])
def login():
    error, status = None, 200
    if request.method == "POST":
        outcome = throttle().attempt(store(), request.form.get("username", ""), request.form.get("password", ""),
                                     address=request.remote_addr or "unknown", now=now())
        user = outcome.user
        if user is not None:
            session.clear()
            session["user_id"] = user.id
            session["sid"] = sessions.start(store(), user.id, now=now(),
                                            lifetime=current_app.permanent_session_lifetime)
            session["locale"] = session.get("locale") or user.locale
            session.permanent = True
            return redirect(safe_next(request.args.get("next")))
        error, status = outcome.error, outcome.status
        if outcome.retry_after:
            return render_template("login.html", error=error), status, {"Retry-After": str(outcome.retry_after)}
    return render_template("login.html", error=error), status


@blp.post("/logout")
def logout():
    """Ends the session on the server too: a copy of the cookie stops working at once."""
    locale = session.get("locale")
    if session.get("sid"):
        sessions.end(store(), session["sid"], now=now())
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have logged out."))
    return redirect(url_for("pages.login"))


@blp.get("/lang/<code>")
def set_language(code: str):
    if code in LOCALES:
        session["locale"] = code
    return redirect(safe_next(request.args.get("next") or request.referrer and urlpath(request.referrer)))


def urlpath(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
