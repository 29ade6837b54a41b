"""List pages: query arguments parsed by the API's own schemas, links that keep the filters, paging.

A page list and the API list read the same arguments into the same crm query object, so a
filter means one thing wherever it is used. A malformed argument is dropped (and said so)
rather than failing the page.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, ValidationError

from web.pages import blp

PAGE_SIZE = 50


def list_args(schema: Schema, *, defaults: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[str]]:
    """request.args loaded by `schema` (blank values ignored); returns (args, names of dropped args)."""
    raw: dict[str, Any] = dict(defaults or {})
    for name, field in schema.fields.items():
        values = [v for v in request.args.getlist(name) if v.strip()]
        if not values:
            continue
        raw[name] = values if field.__class__.__name__ == "List" else values[0]
    dropped: list[str] = []
    while True:
        try:
            return schema.load(raw), dropped
        except ValidationError as exc:
            bad = [name for name in exc.messages if name in raw]
            if not bad:
                raise
            dropped.extend(bad)
            for name in bad:
                raw.pop(name)


def page_number() -> int:
    raw = request.args.get("page", "")
    return max(1, int(raw)) if raw.isdigit() else 1


def sort_key(requested: str, allowed: dict[str, str], default: str) -> str:
    """The requested sort when the domain knows its key, else the default."""
    return requested if requested.lstrip("-") in allowed else default


POSITION = ("page", "after")  # where in a list a page stands: forgotten when the filters or the sort change


@blp.app_template_global()
def url_with(**changes: Any) -> str:
    """This page's URL with some query arguments replaced (None removes one); the page resets to 1."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k not in POSITION]
    for key, value in changes.items():
        if value is None or value == "":
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            args.append((key, item))
    return request.path + ("?" + urlencode(args) if args else "")


@blp.app_template_global()
def page_url(number: int, after: str | None = None) -> str:
    """Page `number` of this list; with the cursor the page before gave, read from there (no SKIP)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in POSITION] + [("page", str(number))]
    return request.path + "?" + urlencode(args + ([("after", after)] if after else []))


@blp.app_template_global()
def sort_url(key: str, current: str) -> str:
    """Clicking a header sorts by it; clicking it again reverses the order."""
    return url_with(sort=("-" + key) if current == key else key)
