"""The application factory: defaults in code, then CHAINLEAD_* from the environment, then overrides."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from graph.config import open_store

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
DEMO_SECRET = "chainlead-demo-secret-not-for-production"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CHAINLEAD")
    app.config.update(overrides or {})
    if not app.config["SECRET_KEY"]:
        if not (app.config["DEMO"] or app.config["TESTING"]):
            raise RuntimeError("Set CHAINLEAD_SECRET_KEY (a long random string) to run ChainLead outside demo mode.")
        app.config["SECRET_KEY"] = DEMO_SECRET
    app.json.sort_keys = False
    store = app.config.get("STORE") or open_store()
    app.extensions["chainlead.store"] = store
    logging.getLogger("chainlead").setLevel(logging.INFO)

    from web import api, auth, errors, formatting, health, i18n, pages
    from web.pages import navigation

    errors.register(app, html_error=pages.render_error)
    i18n.init_app(app)
    formatting.init_app(app)
    navigation.init_app(app)
    auth.init_app(app)
    app.register_blueprint(health.blp)
    api.init_app(app)
    pages.init_app(app)
    return app


def store_of(app: Flask) -> Any:
    return app.extensions["chainlead.store"]
