"""/healthz: which engine serves, and whether the store answers (503 when it does not)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from graph.errors import StoreError
from web.app import store_of

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    store = store_of(current_app)
    try:
        store.ping()
    except StoreError as exc:
        return jsonify(engine=store.engine, store="unavailable", message=str(exc)), 503
    return jsonify(engine=store.engine, store="ok")
