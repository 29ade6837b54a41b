"""What every API view shares: the clock, the store, the actor, ETags and If-Match."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import abort, current_app, request

from crm.base.access import Actor
from crm.base.listing import Page
from crm.base.clock import utcnow
from web.auth import current_actor
from web.schemas.fast import dump_many

_ETAG = re.compile(r'^(?:W/)?"v(\d+)"$')


def store() -> Any:
    return current_app.extensions["chainlead.store"]


def actor() -> Actor:
    return current_actor()


def now() -> datetime:
    """The request's clock; tests pin it with app.config["CLOCK"]."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else utcnow()


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"v{version}"'}


def expected_version() -> int:
    """The version the client last read, from If-Match: required, so no write is ever blind."""
    header = request.headers.get("If-Match")
    if not header:
        abort(428, description="Send the ETag you last read as If-Match, so a stale edit cannot overwrite a newer one.")
    found = _ETAG.match(header.strip())
    if not found:
        abort(412, description=f"If-Match {header!r} is not an ETag of this API (expected \"v<version>\").")
    return int(found.group(1))


IF_MATCH = {"parameters": [{"in": "header", "name": "If-Match", "required": True,
                            "schema": {"type": "string"}, "description": 'The ETag last read, e.g. "v3".'}]}


def one(schema_class: Any, item: Any, headers: dict[str, str], status: int = 200) -> Any:
    """One record as the JSON response, dumped as a list's rows are (the hot reads and writes of a record)."""
    return current_app.json.response(dump_many(schema_class, [item])[0]), status, headers


def listed(schema_class: Any, page: Page[Any]) -> Any:
    """A page of records as the JSON response (dumped by web/schemas/fast.py), with the cursor of the next."""
    headers = {"X-Next-Cursor": page.next_after} if page.next_after else {}
    return current_app.json.response(dump_many(schema_class, page.items)), 200, headers
