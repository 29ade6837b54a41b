"""/healthz: which engine serves, whether the store answers (503 when it does not), and any import
that was interrupted half-way and not completed since (still 200: the app works, an operator must rerun)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from crm.base.clock import utcnow
from crm.library.imports import journal
from graph.errors import StoreError
from web.app import store_of

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    store = store_of(current_app)
    try:
        store.ping()
        stopped = [run.line() for run in journal.interrupted_lately(store, now=utcnow())]
    except StoreError as exc:
        return jsonify(engine=store.engine, store="unavailable", message=str(exc)), 503
    return jsonify(engine=store.engine, store="ok", interrupted_imports=stopped)
