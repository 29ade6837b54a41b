"""The vocabulary of the route table: what each persona should get, and how a request is made.

An outcome is OK (the request does what it asks: a 2xx, or a redirect that is not to the login
page), NO (403: the role may not) or HIDE (404: the record is outside the persona's scope, so it
is reported as missing rather than forbidden); a record outside the scope named in a request's
body is an UNKNOWN reference (422), exactly as an id that does not exist. Anonymous callers get 401 on the API and a
redirect to the login page elsewhere, unless a route is PUBLIC.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

OK, NO, HIDE, UNKNOWN = "ok", "refused (403)", "hidden (404)", "an unknown reference (422)"
ROLES = ("admin", "staff", "leader", "officer", "viewer")


def rule(*, ok: tuple[str, ...] = (), no: tuple[str, ...] = (), hide: tuple[str, ...] = (),
         unknown: tuple[str, ...] = ()) -> dict[str, str]:
    given = {**{r: OK for r in ok}, **{r: NO for r in no}, **{r: HIDE for r in hide}, **{r: UNKNOWN for r in unknown}}
    assert sorted(given) == sorted(ROLES), f"a rule must name every role once: {given}"
    return given


# Reading: everyone logged in; another scope's record by id is missing for the scoped roles.
EVERYONE = rule(ok=ROLES)
READ_THEIRS = rule(ok=("admin", "staff", "viewer"), hide=("leader", "officer"))
# Writing promotion records (crm.base.access.can_write): officers in their district only.
WRITE_OURS = rule(ok=("admin", "staff", "officer"), no=("leader", "viewer"))
WRITE_THEIRS = rule(ok=("admin", "staff"), no=("viewer",), hide=("leader", "officer"))
REFER_THEIRS = rule(ok=("admin", "staff"), no=("viewer",), unknown=("leader", "officer"))
# Commenting and reassigning (crm.base.access.can_comment): chain leaders on their chains too.
COMMENT_OURS = rule(ok=("admin", "staff", "leader", "officer"), no=("viewer",))
COMMENT_THEIRS = WRITE_THEIRS
# A library record (company) touches chains, not districts: chain leaders comment, officers do not.
COMMENT_LIBRARY = rule(ok=("admin", "staff", "leader"), no=("officer", "viewer"))
# Library edits, assignment rules, reports, other people's events and tasks; and new records
# landing outside an officer's district.
STAFF = rule(ok=("admin", "staff"), no=("leader", "officer", "viewer"))
ORGANISERS = rule(ok=("admin", "staff", "officer"), no=("leader", "viewer"))
# A firm on the exit-risk watch in the officer's district, making no link of the chain leader's chains.
WATCHED_OURS = rule(ok=("admin", "staff", "officer", "viewer"), hide=("leader",))
VISIT_OURS = rule(ok=("admin", "staff", "officer"), no=("viewer",), hide=("leader",))
ADMIN = rule(ok=("admin",), no=("staff", "leader", "officer", "viewer"))


@dataclass
class Call:
    """One request's variable parts: path arguments, query, a JSON or form body, extra headers."""
    args: dict[str, str] = field(default_factory=dict)
    query: str = ""
    json: Any = None
    form: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


Builder = Callable[[Any, str], Call]  # (world, persona) -> Call


@dataclass
class Case:
    """One method of one route, as one scope variant, with the outcome per role."""
    method: str
    expect: dict[str, str]
    build: Builder = field(default=lambda w, p: Call())
    label: str = ""
    public: bool = False
    fresh_session: bool = False  # the request ends or replaces a session: send it from a new login


PUBLIC = "public"


def public(method: str, build: Builder | None = None, *, fresh_session: bool = False) -> Case:
    return Case(method, EVERYONE, build or (lambda w, p: Call()), public=True, fresh_session=fresh_session)


def if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"v{version}"'}
