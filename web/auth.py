"""Who is asking: a session for pages, a bearer token for the API; everyone must log in.

The only ways in without logging in are the login page, static assets and /healthz.
"""
from __future__ import annotations

from flask import Flask, current_app, g, jsonify, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect

from crm.base.access import Actor
from crm.base.clock import utcnow
from crm.people.users import actor_for_session, actor_for_token
from web.errors import error_body

PUBLIC_ENDPOINTS = {"health.healthz", "static", "favicon", "pages.login", "pages.set_language"}


def current_actor() -> Actor:
    return g.actor


def _load_actor() -> Actor | None:
    store = current_app.extensions["chainlead.store"]
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.auth = "token"
        return actor_for_token(store, header[7:].strip())
    user_id, secret = session.get("user_id"), session.get("sid")
    if not user_id or not secret:
        return None
    clock = current_app.config.get("CLOCK")
    actor = actor_for_session(store, user_id, secret, now=clock() if clock else utcnow())
    if actor is None:
        session.clear()
        return None
    g.auth = "session"
    return actor


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    csrf.init_app(app)

    @app.before_request
    def authenticate():
        g.actor = None
        g.auth = None
        if request.endpoint in PUBLIC_ENDPOINTS:
            if request.method in UNSAFE:
                csrf.protect()
            return None
        g.actor = _load_actor()
        if g.actor is not None:
            if g.auth == "session" and request.method in UNSAFE:
                csrf.protect()  # a cookie rides along on cross-site requests; a bearer token does not
            return None
        if request.path.startswith("/api/"):
            response = jsonify(error_body(401, "Log in, or send a personal API token as 'Authorization: Bearer …'."))
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="ChainLead"'
            return response
        if "pages.login" in app.view_functions:
            return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
        return jsonify(error_body(401, "Log in first.")), 401
