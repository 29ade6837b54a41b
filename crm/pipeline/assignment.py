"""Assignment rules (公海池 placing): a new lead created without an owner goes to the user a rule
names for its chain and/or district, instead of waiting in the pool.

The most specific rule wins (chain and district over either alone), then the lowest position,
then the oldest. Rules are records like any other: versioned, audited, archived not deleted.
Admins and staff manage them; every role may read them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.base import records
from crm.base.access import SYSTEM, Actor, require
from crm.errors import NotFound, ValidationFailed
from crm.base.notices import Notice, notify
from crm.base.listing import Page, read_page
from crm.base.checks import check_exists
from graph.cypher import read_with

EDITABLE = ("chain_id", "district_id", "position", "note", "archived")
_RETURN = ("OPTIONAL MATCH (r)-[:ASSIGNS_TO]->(u:User) "
           "RETURN r AS rule, u.id AS user_id, u.display_name AS user_name, u.active AS user_active")


@dataclass
class AssignmentRule:
    id: str
    user_id: str | None
    chain_id: str | None = None
    district_id: str | None = None
    position: int = 100
    note: str | None = None
    user_name: str | None = None
    user_active: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "AssignmentRule":
        return cls(**records.values_of(cls, row, "rule"))

    def specificity(self) -> int:
        return (self.chain_id is not None) + (self.district_id is not None)


def require_manager(actor: Actor) -> None:
    """Staff and admins keep the rules that place new leads."""
    require(actor.role in ("admin", "staff"), "manage assignment rules")


def list_rules(store: Any, *, actor: Actor, archived: bool = False, page: int = 1,
               page_size: int = 50) -> Page[AssignmentRule]:
    total, rows = read_page(store, "MATCH (r:AssignmentRule) WHERE r.archived = $a RETURN count(r) AS n",
                            "MATCH (r:AssignmentRule) WHERE r.archived = $a WITH r ORDER BY r.position, r.id "
                            "SKIP $skip LIMIT $limit " + _RETURN, {"a": archived}, page=page, page_size=page_size)
    return Page([AssignmentRule.from_row(r) for r in rows], total, page, page_size)


def get_rule(store: Any, rule_id: str, *, actor: Actor | None = None) -> AssignmentRule:
    run = read_with(store)
    rows = run("MATCH (r:AssignmentRule {id: $id}) " + _RETURN, {"id": rule_id})
    if not rows:
        raise NotFound("AssignmentRule", rule_id)
    return AssignmentRule.from_row(rows[0])


def _check(tx: Any, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in (("user_id", "User"), ("chain_id", "Chain"), ("district_id", "District")):
        if data.get(name):
            errors.update(check_exists(tx, label, data[name], name))
    if errors:
        raise ValidationFailed(errors)


def _validate(data: dict[str, Any], *, creating: bool) -> None:
    errors: dict[str, list[str]] = {}
    if creating and not data.get("user_id"):
        errors["user_id"] = ["required: whom the rule gives leads to"]
    if creating and not (data.get("chain_id") or data.get("district_id")):
        errors["chain_id"] = ["give a chain, a district or both"]
    position = data.get("position")
    if position is not None and (not isinstance(position, int) or isinstance(position, bool) or position < 0):
        errors["position"] = ["a whole number, 0 or more (lower wins)"]
    if isinstance(data.get("note"), str) and len(data["note"]) > 500:
        errors["note"] = ["at most 500 characters"]
    if errors:
        raise ValidationFailed(errors)


def create_rule(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> AssignmentRule:
    require_manager(actor)
    _validate(data, creating=True)

    def work(tx: Any) -> str:
        _check(tx, data)
        props = {k: data.get(k) for k in ("chain_id", "district_id", "note", "synthetic")}
        props["position"] = data.get("position", 100)
        record = records.create(tx, "AssignmentRule", props, actor=actor, now=now, prefix="rule",
                                extra_audit={"user_id": (None, data["user_id"])},
                                links=[("ASSIGNS_TO", "User", data["user_id"])])
        return record["id"]

    return get_rule(store, store.transaction(work))


def update_rule(store: Any, rule_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                expected_version: int | None) -> AssignmentRule:
    require_manager(actor)
    unknown = set(changes) - set(EDITABLE) - {"user_id"}
    if unknown:
        raise ValidationFailed({k: ["cannot be changed here"] for k in sorted(unknown)})
    if "user_id" in changes and not changes["user_id"]:
        raise ValidationFailed({"user_id": ["cannot be empty"]})
    _validate(changes, creating=False)
    rule = get_rule(store, rule_id)
    after = {k: changes.get(k, getattr(rule, k)) for k in ("chain_id", "district_id")}
    if not (after["chain_id"] or after["district_id"]):
        raise ValidationFailed({"chain_id": ["a rule needs a chain, a district or both"]})

    def work(tx: Any) -> None:
        _check(tx, changes)
        diff = {"user_id": (rule.user_id, changes["user_id"])} if changes.get("user_id", rule.user_id) != rule.user_id \
            else {}
        records.update(tx, "AssignmentRule", rule_id, {k: v for k, v in changes.items() if k in EDITABLE},
                       actor=actor, now=now, expected_version=expected_version, extra_audit=diff)
        if diff:
            records.relink(tx, "ASSIGNS_TO", "AssignmentRule", rule_id, "User", changes["user_id"])

    store.transaction(work)
    return get_rule(store, rule_id)


def assignee(tx: Any, *, chain_id: str | None, district_id: str | None) -> AssignmentRule | None:
    """The rule that places a lead of this chain and district, if any (its user must be active)."""
    rows = tx.run("MATCH (r:AssignmentRule)-[:ASSIGNS_TO]->(u:User) WHERE r.archived = false AND u.active = true "
                  "AND (r.chain_id IS NULL OR r.chain_id = $chain) AND (r.district_id IS NULL OR r.district_id = $d) "
                  "RETURN r AS rule, u.id AS user_id, u.display_name AS user_name, u.active AS user_active",
                  {"chain": chain_id or "", "d": district_id or ""})
    rules = [AssignmentRule.from_row(r) for r in rows]
    rules.sort(key=lambda r: (-r.specificity(), r.position, r.created_at or datetime.min, r.id))
    return rules[0] if rules else None


def place(tx: Any, lead_id: str, *, chain_id: str | None, district_id: str | None, now: datetime,
          actor: Actor = SYSTEM) -> str | None:
    """Give a just-created, ownerless lead to the user its rule names; returns that user's id."""
    rule = assignee(tx, chain_id=chain_id, district_id=district_id)
    if rule is None or rule.user_id is None:
        return None
    records.relink(tx, "OWNED_BY", "Lead", lead_id, "User", rule.user_id)
    tx.run("MATCH (l:Lead {id: $id}) SET l.pooled_at = NULL, l.assigned_at = $now", {"id": lead_id, "now": now},
           touches={"Lead": [lead_id]})
    records.audit(tx, actor, "assign", "Lead", lead_id, {"owner_id": (None, rule.user_id), "rule_id": (None, rule.id)},
                  now)
    title = tx.run("MATCH (l:Lead {id: $id}) RETURN l.title AS t", {"id": lead_id})[0]["t"] or lead_id
    notify(tx, [Notice(f"assigned:{lead_id}:{rule.user_id}", rule.user_id, "lead_assigned",
                       (f"新线索已分配给您：{title}", f"A new lead is yours: {title}"),
                       (f"分配规则{rule.id}将线索{title}分配给您。", f"Assignment rule {rule.id} gave you the lead {title}."),
                       f"/leads/{lead_id}", "Lead", lead_id)], now=now)
    return rule.user_id
