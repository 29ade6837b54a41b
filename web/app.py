"""The application factory: defaults in code, then CHAINLEAD_* from the environment, then overrides."""
from __future__ import annotations

from typing import Any

from flask import Flask

from graph.config import open_store

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "DEMO": False,
}


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CHAINLEAD")
    app.config.update(overrides or {})
    store = app.config.get("STORE") or open_store()
    app.extensions["chainlead.store"] = store

    from web import health

    app.register_blueprint(health.blp)
    return app


def store_of(app: Flask) -> Any:
    return app.extensions["chainlead.store"]
