"""Contacts: the people the bureau deals with at a company (WORKS_AT).

Like the enterprise library they belong to, every role reads them and staff and admins keep
them; removing a contact archives it, so the audit trail still names who was spoken to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor, can_write, require
from crm.errors import NotFound, ValidationFailed
from crm.base.listing import Page, Where, order_by, read_page, search_text
from crm.base.checks import check_exists
from graph.cypher import read_with

FIELDS = ("name", "title", "email", "phone", "notes")
EDITABLE = FIELDS + ("company_id", "archived")
LIMITS = {"name": 100, "title": 100, "email": 254, "phone": 40, "notes": 2000}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
PHONE = re.compile(r"^[0-9+()\-\s.,/x转]+$")

_MATCH = "MATCH (p:Contact)-[:WORKS_AT]->(c:Company) "
_RETURN = ("RETURN p AS contact, c.id AS company_id, c.name_zh AS company_name_zh, "
           "c.name_en AS company_name_en")
SORTS = {"name": "p.name", "title": "p.title", "company": "c.name_zh", "created_at": "p.created_at",
         "updated_at": "p.updated_at"}


@dataclass
class Contact:
    id: str
    name: str
    company_id: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    company_name_zh: str | None = None
    company_name_en: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Contact":
        return cls(**records.values_of(cls, row, "contact"))


@dataclass
class ContactQuery:
    company: str | None = None
    q: str | None = None
    archived: bool = False
    sort: str = "name"
    page: int = 1
    page_size: int = 50


def validate(data: dict[str, Any], *, creating: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if creating or "name" in data:
        if not (data.get("name") or "").strip():
            errors["name"] = ["required"]
    if creating and not data.get("company_id"):
        errors["company_id"] = ["required"]
    for name, limit in LIMITS.items():
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors.setdefault(name, []).append(f"text of at most {limit} characters")
    if data.get("email") and "email" not in errors and not EMAIL.match(data["email"]):
        errors["email"] = ["not a valid e-mail address"]
    if data.get("phone") and "phone" not in errors and not PHONE.match(data["phone"]):
        errors["phone"] = ["digits, spaces and + ( ) - only"]
    return errors


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Trim text and store blanks as absent, so an empty e-mail is no e-mail."""
    out = {}
    for k, v in data.items():
        if isinstance(v, str) and k in FIELDS:
            v = v.strip() or None
        out[k] = v
    return out


def list_contacts(store: Any, query: ContactQuery) -> Page[Contact]:
    w = Where()
    w.add("p.archived = $archived", archived=query.archived)
    if query.company:
        w.add("c.id = $company", company=query.company)
    text = search_text(query.q)
    if text:
        w.add("(toLower(p.name) CONTAINS $q OR toLower(p.title) CONTAINS $q OR toLower(p.email) CONTAINS $q OR "
              "toLower(c.name_zh) CONTAINS $q OR toLower(c.name_en) CONTAINS $q)", q=text)
    order = order_by(query.sort, SORTS, "p.id")
    total, rows = read_page(store, _MATCH + w.clause() + " RETURN count(p) AS n",
                            _MATCH + w.clause() + f" WITH p, c {order} SKIP $skip LIMIT $limit " + _RETURN,
                            w.params, page=query.page, page_size=query.page_size)
    return Page([Contact.from_row(r) for r in rows], total, query.page, query.page_size)


def fetch(reader: Any, contact_id: str) -> Contact:
    run = read_with(reader)
    rows = run(_MATCH + "WHERE p.id = $id " + _RETURN, {"id": contact_id})
    if not rows:
        raise NotFound("Contact", contact_id)
    return Contact.from_row(rows[0])


def get_contact(store: Any, contact_id: str) -> Contact:
    return fetch(store, contact_id)


def create_contact(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> Contact:
    require(can_write(actor), "add contacts")
    data = _clean(data)
    errors = validate(data, creating=True)
    if errors:
        raise ValidationFailed(errors)

    def work(tx: Any) -> str:
        problems = check_exists(tx, "Company", data["company_id"], "company_id")
        if problems:
            raise ValidationFailed(problems)
        props = {k: data.get(k) for k in FIELDS + ("id", "synthetic")}
        record = records.create(tx, "Contact", props, actor=actor, now=now, prefix="contact",
                                extra_audit={"company_id": (None, data["company_id"])},
                                links=[("WORKS_AT", "Company", data["company_id"])])
        return record["id"]

    return fetch(store, store.transaction(work))


def update_contact(store: Any, contact_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                   expected_version: int | None) -> Contact:
    """Edit a contact; moving them to another company is an edit of `company_id`."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed({k: ["cannot be changed here"] for k in sorted(unknown)})
    changes = _clean(changes)
    errors = validate(changes, creating=False)
    if "company_id" in changes and not changes["company_id"]:
        errors["company_id"] = ["cannot be empty"]
    if errors:
        raise ValidationFailed(errors)
    require(can_write(actor), "change contacts")
    current = fetch(store, contact_id)

    def work(tx: Any) -> None:
        moved = "company_id" in changes and changes["company_id"] != current.company_id
        if moved:
            problems = check_exists(tx, "Company", changes["company_id"], "company_id")
            if problems:
                raise ValidationFailed(problems)
        fields = {k: v for k, v in changes.items() if k in FIELDS + ("archived",)}
        extra = {"company_id": (current.company_id, changes["company_id"])} if moved else None
        records.update(tx, "Contact", contact_id, fields, actor=actor, now=now,
                       expected_version=expected_version, extra_audit=extra)
        if moved:
            records.relink(tx, "WORKS_AT", "Contact", contact_id, "Company", changes["company_id"])

    store.transaction(work)
    return fetch(store, contact_id)
