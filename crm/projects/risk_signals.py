"""Risk signals staff record on a present foreign firm (固链): a parent's announced closure, a lease
or incentive end. Each FLAGS a company and takes the district where the firm is present as its
scope, so a district officer records signals for their district's firms only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor, Scope, can_read, can_write, require
from crm.errors import NotFound, ValidationFailed
from crm.projects.exit_risk import RECORDED_KINDS
from graph.cypher import read_with

EDITABLE = ("kind", "signal_on", "note", "source", "archived")
LIMITS = {"note": 2000, "source": 500}
_RETURN = "RETURN s AS signal, c.id AS company_id"
_ONE = ("MATCH (s:RiskSignal {id: $id})-[:FLAGS]->(c:Company) OPTIONAL MATCH (c)-[:MAKES]->(n:ChainNode) "
        "RETURN s AS signal, c.id AS company_id, collect(DISTINCT n.chain_id) AS chains")


@dataclass
class RiskSignal:
    id: str
    kind: str
    signal_on: date
    district_id: str
    company_id: str
    note: str | None = None
    source: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False
    chains: list[str] = field(default_factory=list)  # the chains the firm makes links of (who may read it)

    @property
    def scope(self) -> Scope:
        return Scope(district=self.district_id)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "RiskSignal":
        return cls(**records.values_of(cls, row, "signal"))


def validate(data: dict[str, Any], *, creating: bool) -> dict[str, list[str]]:
    """Field messages: a known kind, a date, short texts (a future date is allowed: leases end ahead)."""
    errors: dict[str, list[str]] = {}
    for name in ("company_id", "district_id", "kind", "signal_on") if creating else ():
        if data.get(name) in (None, ""):
            errors[name] = ["required"]
    if data.get("kind") is not None and data["kind"] not in RECORDED_KINDS:
        errors["kind"] = [f"must be one of {', '.join(RECORDED_KINDS)}"]
    if data.get("signal_on") is not None and not isinstance(data["signal_on"], date):
        errors["signal_on"] = ["a date"]
    for name, limit in LIMITS.items():
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            errors[name] = [f"text of at most {limit} characters"]
    return errors


def signals_of(reader: Any, company_id: str, *, include_archived: bool = False) -> list[RiskSignal]:
    """A firm's recorded signals, newest first (no access check: callers have made it)."""
    run = read_with(reader)
    where = "" if include_archived else "WHERE s.archived = false "
    rows = run("MATCH (s:RiskSignal)-[:FLAGS]->(c:Company {id: $company}) " + where + _RETURN
               + " ORDER BY s.signal_on DESC, s.id", {"company": company_id})
    return [RiskSignal.from_row(r) for r in rows]


def _fetch(reader: Any, signal_id: str) -> RiskSignal:
    run = read_with(reader)
    rows = run(_ONE, {"id": signal_id})
    if not rows:
        raise NotFound("RiskSignal", signal_id)
    return RiskSignal.from_row(rows[0])


def get_signal(store: Any, signal_id: str, *, actor: Actor) -> RiskSignal:
    """A signal the actor may read (as the watch list shows its firm: a district officer's district, a chain
    leader's chains); another's is not found, not forbidden."""
    signal = _fetch(store, signal_id)
    leads_its_chain = actor.role == "chain_leader" and bool(set(signal.chains) & set(actor.chains))
    if not (leads_its_chain or can_read(actor, signal.scope)):
        raise NotFound("RiskSignal", signal_id)
    return signal


def record_signal(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> RiskSignal:
    """Record a dated signal on a firm present in the given district."""
    unknown = set(data) - {"company_id", "district_id", "kind", "signal_on", "note", "source", "synthetic", "id"}
    errors = {k: ["unknown field"] for k in sorted(unknown)} | validate(data, creating=True)
    if errors:
        raise ValidationFailed(errors)
    require(can_write(actor, Scope(district=data["district_id"])), "record risk signals in this district")

    def work(tx: Any) -> str:
        present = tx.run("MATCH (c:Company {id: $c})-[:PRESENT_IN]->(d:District {id: $d}) RETURN c.id AS id",
                         {"c": data["company_id"], "d": data["district_id"]})
        if not present:
            raise ValidationFailed({"company_id": ["not a firm present in district " + str(data["district_id"])]})
        props = {k: data.get(k) for k in ("id", "kind", "signal_on", "note", "source", "district_id", "synthetic")}
        record = records.create(tx, "RiskSignal", props, actor=actor, now=now, prefix="risk",
                                extra_audit={"company_id": (None, data["company_id"])},
                                links=[("FLAGS", "Company", data["company_id"])])
        return record["id"]

    return _fetch(store, store.transaction(work))


def update_signal(store: Any, signal_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                  expected_version: int | None) -> RiskSignal:
    """Correct a signal, or archive it (`archived: true`) so it stops counting; never a blind write."""
    unknown = set(changes) - set(EDITABLE)
    errors = {k: ["cannot be changed here"] for k in sorted(unknown)} | validate(changes, creating=False)
    if "archived" in changes and not isinstance(changes["archived"], bool):
        errors["archived"] = ["true or false"]
    if errors:
        raise ValidationFailed(errors)
    signal = get_signal(store, signal_id, actor=actor)
    require(can_write(actor, signal.scope), "change this risk signal")
    store.transaction(lambda tx: records.update(tx, "RiskSignal", signal_id, dict(changes), actor=actor,
                                                now=now, expected_version=expected_version))
    return _fetch(store, signal_id)
