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

    from web import api, auth, errors, health

    errors.register(app)
    auth.init_app(app)
    app.register_blueprint(health.blp)
    api.init_app(app)
    return app


def store_of(app: Flask) -> Any:
    return app.extensions["chainlead.store"]
