"""Domain and store errors become HTTP answers here, and only here: JSON {code, status, message, errors}."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException

from crm.errors import (Conflict, DomainError, Forbidden, InvalidTransition, NotFound, ValidationFailed,
                        VersionConflict)
from graph.errors import StorageFailing, StoreLocked, StoreUnavailable
from web.messages import translate

log = logging.getLogger("chainlead.web")

STATUS = {
    NotFound: 404, Forbidden: 403, VersionConflict: 412, InvalidTransition: 409, Conflict: 409,
    ValidationFailed: 422,
}
PHRASES = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 412: "Precondition Failed",
           422: "Unprocessable Entity", 428: "Precondition Required", 500: "Internal Server Error",
           503: "Service Unavailable"}


MAX_FIELDS = 20  # field messages echoed per location; a body with 200,000 unknown keys gets 20 and a count


def capped(errors: dict) -> dict:
    """At most MAX_FIELDS messages per location (json, query, …), and how many more were left out."""
    out: dict = {}
    for where, fields in errors.items():
        if isinstance(fields, dict) and len(fields) > MAX_FIELDS:
            kept = dict(list(fields.items())[:MAX_FIELDS])
            kept["_more"] = [f"{len(fields) - MAX_FIELDS} more fields have problems"]
            out[where] = kept
        else:
            out[where] = fields
    return out


def error_body(code: int, message: str, errors: dict | None = None) -> dict:
    body = {"code": code, "status": PHRASES.get(code, ""), "message": message}
    if errors:
        body["errors"] = capped(errors)
    return body


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz" or request.accept_mimetypes.best == "application/json"


def register(app: Flask, html_error=None) -> None:
    """Install the handlers; `html_error(code, message)` renders pages' errors when given."""

    def respond(code: int, message: str, errors: dict | None = None, headers: dict | None = None):
        if g.get("auth") == "session" or (html_error is not None and not wants_json()):
            message = translate(message)  # people read these; token clients keep the stable English
        if html_error is not None and not wants_json():
            return html_error(code, message), code, headers or {}
        return jsonify(error_body(code, message, errors)), code, headers or {}

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        code = next((c for cls, c in STATUS.items() if isinstance(exc, cls)), 400)
        errors = {"json": exc.errors} if isinstance(exc, ValidationFailed) else None
        return respond(code, str(exc), errors)

    @app.errorhandler(StorageFailing)
    def storage_failing(exc: StorageFailing):
        log.error("storage failing: %s", exc)
        return respond(503, "Storage is full or failing: nothing was saved. An administrator must free disk space "
                            "and restart ChainLead; what was saved before is kept.", headers={"Retry-After": "60"})

    @app.errorhandler(StoreUnavailable)
    @app.errorhandler(StoreLocked)
    def store_down(exc: Exception):
        log.warning("store unavailable: %s", exc)
        return respond(503, "The database is not reachable right now; please retry shortly.",
                       headers={"Retry-After": "5"})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        data = getattr(exc, "data", None) or {}
        errors = data.get("messages") or data.get("errors")
        message = exc.description or PHRASES.get(exc.code or 500, "")
        return respond(exc.code or 500, message, errors, dict(exc.get_headers()) and {
            k: v for k, v in exc.get_headers() if k.lower() != "content-type"})

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return respond(500, "Something went wrong on our side; the error has been logged.")
