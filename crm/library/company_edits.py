"""Keeping the enterprise library: adding and editing companies, with versions and an audit trail.

Only staff and admins write here. `name_norm` follows the names on every write, and a second
company with the same normalised name is refused, so the library holds one entry per firm.
The links a company makes, where it is present and its parents are edited as whole sets.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from crm.base import memo, records
from crm.base.access import Actor, can_write, require
from crm.library.companies import FIELDS, Company, fetch
from crm.errors import Conflict, ValidationFailed
from crm.library.imports.names import normalise_name
from crm.base.checks import check_district_current

EDITABLE = FIELDS + ("archived",)
# Each editable set of relationships: its field, relationship type and the label at its end.
SETS = {"link_ids": ("MAKES", "ChainNode"), "district_ids": ("PRESENT_IN", "District"),
        "parent_ids": ("SUBSIDIARY_OF", "Company")}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TEXT_LIMITS = {"name_zh": 200, "name_en": 200, "industry": 200, "source": 2000}


def _number_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    ranges = {"fg500_rank": (1, 500), "fg500_year": (1955, 2100), "employees": (0, 10**8)}
    for name, (low, high) in ranges.items():
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
            errors[name] = [f"must be a whole number from {low} to {high}"]
    revenue = data.get("revenue_usd_m")
    if revenue is not None and (isinstance(revenue, bool) or not isinstance(revenue, (int, float)) or revenue < 0):
        errors["revenue_usd_m"] = ["must be a number of US$ millions, 0 or more"]
    return errors


def validate(data: dict[str, Any]) -> dict[str, list[str]]:
    """Field rules that need no store; the API schema says the same, this guards other callers."""
    errors = _number_errors(data)
    for name, limit in _TEXT_LIMITS.items():
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors[name] = [f"text of at most {limit} characters"]
    if data.get("country") is not None and not _COUNTRY.match(str(data["country"])):
        errors["country"] = ["a two-letter ISO country code such as CN or DE"]
    aliases = data.get("aliases")
    if aliases is not None and (not isinstance(aliases, list) or len(aliases) > 30 or
                                not all(isinstance(a, str) and 0 < len(a.strip()) <= 200 for a in aliases)):
        errors["aliases"] = ["up to 30 names of 1 to 200 characters"]
    for name in SETS:
        ids = data.get(name)
        if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids)):
            errors[name] = ["a list of ids"]
    return errors


def _name_key(data: dict[str, Any]) -> tuple[str | None, dict[str, list[str]]]:
    """The normalised key from the Chinese name, or the English one when there is none."""
    if not (data.get("name_zh") or "").strip() and not (data.get("name_en") or "").strip():
        return None, {"name_zh": ["a Chinese or an English name is required"]}
    norm = normalise_name(data.get("name_zh")) or normalise_name(data.get("name_en"))
    if not norm:
        return None, {"name_zh": ["the name needs more than a legal form such as 有限公司 or Ltd."]}
    return norm, {}


def _check_unique(tx: Any, norm: str, company_id: str | None) -> None:
    rows = tx.run("MATCH (c:Company {name_norm: $norm}) WHERE coalesce(c.archived, false) = false "
                  "AND c.id <> $id RETURN c.id AS id, c.name_zh AS zh, c.name_en AS en LIMIT 1",
                  {"norm": norm, "id": company_id or ""})
    if rows:
        row = rows[0]
        raise Conflict(f"{row['zh'] or row['en']} ({row['id']}) is already in the library under this name")


def _check_sets(tx: Any, data: dict[str, Any], company_id: str | None, *, now: datetime,
                before: dict[str, list[str]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, (_, label) in SETS.items():
        ids = data.get(name) or []
        found = {r["id"] for r in tx.run(f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id", {"ids": ids})}
        missing = [i for i in ids if i not in found]
        if missing:
            errors[name] = [f"no {label} with id {', '.join(repr(i) for i in missing)}"]
    if company_id is not None and company_id in (data.get("parent_ids") or []):
        errors["parent_ids"] = ["a company cannot be its own parent"]
    for district in data.get("district_ids") or []:
        if "district_ids" not in errors and district not in before.get("district_ids", []):
            errors.update(check_district_current(tx, district, "district_ids", now=now))
    return errors


def _replace_set(tx: Any, name: str, company_id: str, ids: list[str]) -> None:
    """Make the company's relationships of one kind point at exactly `ids`, keeping the rest's properties."""
    rel, label = SETS[name]
    tx.run(f"MATCH (c:Company {{id: $id}})-[r:{rel}]->(x:{label}) WHERE NOT x.id IN $keep DELETE r",
           {"id": company_id, "keep": ids})
    if ids:
        tx.run(f"UNWIND $ids AS xid MATCH (c:Company {{id: $id}}) MATCH (x:{label} {{id: xid}}) "
               f"MERGE (c)-[:{rel}]->(x)", {"id": company_id, "ids": ids})


def _unique(ids: list[str] | None) -> list[str]:
    return sorted(set(ids or []))


def create_company(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> Company:
    """Add a firm to the library, with the links it makes, where it is present and its parents."""
    require(can_write(actor), "add companies to the library")
    norm, name_errors = _name_key(data)
    errors = validate(data) | name_errors
    if errors:
        raise ValidationFailed(errors)
    sets = {name: _unique(data.get(name)) for name in SETS}

    def work(tx: Any) -> str:
        problems = _check_sets(tx, sets, data.get("id"), now=now, before={})
        if problems:
            raise ValidationFailed(problems)
        if data.get("id") and tx.run("MATCH (c:Company {id: $id}) RETURN c.id AS id", {"id": data["id"]}):
            raise Conflict(f"a company with id {data['id']!r} already exists")
        _check_unique(tx, norm or "", None)
        props = {k: data.get(k) for k in FIELDS + ("id", "synthetic")}
        props.update(name_norm=norm, multinational=bool(data.get("multinational")), leading=bool(data.get("leading")))
        record = records.create(tx, "Company", props, actor=actor, now=now, prefix="co",
                                extra_audit={k: ([], v) for k, v in sets.items() if v})
        for name, ids in sets.items():
            _replace_set(tx, name, record["id"], ids)
        return record["id"]

    return fetch(store, store.transaction(work))


def update_company(store: Any, company_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                   expected_version: int | None) -> Company:
    """Edit fields and sets; archiving is an edit too (`archived: true`), nothing is deleted."""
    unknown = set(changes) - set(EDITABLE) - set(SETS)
    if unknown:
        raise ValidationFailed({k: ["cannot be changed here"] for k in sorted(unknown)})
    errors = validate(changes)
    if errors:
        raise ValidationFailed(errors)
    require(can_write(actor), "change companies in the library")
    current = fetch(store, company_id)
    before = {"link_ids": current.link_ids, "district_ids": current.district_ids, "parent_ids": current.parent_ids}
    sets = {name: _unique(changes[name]) for name in SETS if name in changes}
    fields = {k: v for k, v in changes.items() if k in EDITABLE}
    if "name_zh" in changes or "name_en" in changes:
        names = {"name_zh": current.name_zh, "name_en": current.name_en} | fields
        norm, name_errors = _name_key(names)
        if name_errors:
            raise ValidationFailed(name_errors)
        fields["name_norm"] = norm

    def work(tx: Any) -> None:
        problems = _check_sets(tx, sets, company_id, now=now, before=before)
        if problems:
            raise ValidationFailed(problems)
        if fields.get("name_norm") and fields["name_norm"] != current.name_norm:
            _check_unique(tx, fields["name_norm"], company_id)
        diff = {name: (sorted(before[name]), ids) for name, ids in sets.items() if sorted(before[name]) != ids}
        records.update(tx, "Company", company_id, fields, actor=actor, now=now,
                       expected_version=expected_version, extra_audit=diff)
        for name in diff:
            _replace_set(tx, name, company_id, sets[name])

    store.transaction(work)
    memo.forget_all()  # leads show the company's name
    return fetch(store, company_id)
