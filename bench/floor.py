"""The floor for the API figures: a minimal Flask app under the same waitress settings as `chainlead serve`.

    .venv/bin/python -m bench.floor PORT THREADS

It answers /healthz and any /api/v1/... GET with a small JSON body and does nothing else, so a
figure divided by this one says how much of the machine the app leaves to Flask and waitress.
"""
from __future__ import annotations

import sys

import waitress
from flask import Flask, jsonify


def create() -> Flask:
    app = Flask("floor")

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/api/v1/<path:rest>")
    def anything(rest: str):
        return jsonify(id=rest, status="ok")

    return app


if __name__ == "__main__":
    port, threads = int(sys.argv[1]), int(sys.argv[2])
    waitress.serve(create(), host="127.0.0.1", port=port, threads=threads, ident="floor")
