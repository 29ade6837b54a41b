"""The REST API under /api/v1 (flask-smorest): one blueprint per resource."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import flask_smorest
from flask import Flask, render_template, send_from_directory, url_for

API_SETTINGS = {
    "API_TITLE": "ChainLead API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": None,  # served by api_docs() below, without flask-smorest's inline script
    "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
}


class Api(flask_smorest.Api):
    """flask-smorest's Api, documenting each blueprint's views when the OpenAPI spec is first read rather
    than at start-up: building the spec's paths was half of `create_app` (a CLI command and every test
    make an app; few ever read the spec)."""

    def __init__(self, *args: Any, **kwargs: Any):
        self._undocumented: list[tuple[Any, str, Any]] = []
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    @property
    def spec(self) -> Any:
        if self._undocumented:
            with self._documenting:
                while self._undocumented:
                    blp, name, parameters = self._undocumented[0]
                    blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                    self._spec.tag({"name": name, "description": blp.description})
                    self._undocumented.pop(0)
        return self._spec

    @spec.setter
    def spec(self, value: Any) -> None:
        self._spec = value


def init_app(app: Flask) -> Api:
    import swagger_ui_bundle

    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = Api(app, spec_kwargs={"info": {"description": "ChainLead: investment-promotion CRM. "
                                         "Authenticate with a personal token: `Authorization: Bearer cl_…`."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    assets = Path(swagger_ui_bundle.swagger_ui_path)

    @app.get("/api/docs/assets/<path:name>")
    def swagger_assets(name: str):
        return send_from_directory(assets, name)

    @app.get("/api/docs")
    def api_docs():
        """Swagger UI from our own page, whose start-up script is a static file (the CSP forbids inline ones)."""
        return render_template("api/docs.html", title=app.config["API_TITLE"], assets=app.config["OPENAPI_SWAGGER_UI_URL"],
                               spec_url=url_for("api-docs.openapi_json"))

    from web.api import (admin, audit, chains, companies, contacts, districts, events, followups, imports, inbox,
                         inflows, issues, kpis, leads, notes, pool, projects, reports, risk, scoring, sources, tasks,
                         users)

    for module in (leads, users, projects, inflows, kpis, companies, contacts, issues, notes, audit, districts, chains,
                   scoring, followups, pool, events, tasks, inbox, reports, admin, sources, risk, imports):
        api.register_blueprint(module.blp)
    api.register_blueprint(pool.rules_blp)
    return api
