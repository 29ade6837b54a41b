"""The application factory: defaults in code, then CHAINLEAD_* from the environment, then overrides."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, redirect, url_for

from crm.base import hooks
from crm.followups import first
from graph.config import open_store
from graph.errors import SchemaMismatch, StoreUnavailable
from graph.migrations import check_version
from scoring import hooks as scoring_hooks
from web import security
from web.fastjson import FastJSONProvider

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "DEMO": False,
    "TESTING": False,
    "JSON_SORT_KEYS": False,
    "WTF_CSRF_CHECK_DEFAULT": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
}


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    hooks.install(scoring_hooks.provide())  # crm's event targets, report outlook and re-scoring rank with it
    hooks.install_new_work(first.schedule_in)  # new leads and projects get their first follow-up
    app = Flask(__name__)
    app.json = FastJSONProvider(app)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CHAINLEAD")
    app.config.update(overrides or {})
    security.check_secret_key(app)
    store = app.config.get("STORE") or open_store()
    try:
        check_schema(store)
    except SchemaMismatch:
        if store is not app.config.get("STORE"):
            store.close()
        raise
    app.extensions["chainlead.store"] = store
    logging.getLogger("chainlead").setLevel(logging.INFO)

    from web import api, auth, errors, formatting, health, i18n, imports, logs, pages, throttle
    from web.pages import navigation

    security.init_app(app)
    logs.init_app(app)
    throttle.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    navigation.init_app(app)
    auth.init_app(app)
    imports.init_app(app)
    app.register_blueprint(health.blp)
    api.init_app(app)
    errors.register(app, html_error=pages.render_error)  # after the API: flask-smorest installs its own handler
    pages.init_app(app)
    app.add_url_rule("/favicon.ico", "favicon", lambda: redirect(url_for("static", filename="favicon.svg"), 301))
    return app


def check_schema(store: Any) -> None:
    """Refuse a store of a newer schema, or one that needs `chainlead migrate` (SchemaMismatch says which).

    A store that is down right now is not waited for: the app starts, answers 503 until it is back.
    """
    try:
        check_version(store)
    except StoreUnavailable as exc:
        logging.getLogger("chainlead.web").warning("schema version not checked, the store is unavailable: %s", exc)


def store_of(app: Flask) -> Any:
    return app.extensions["chainlead.store"]
