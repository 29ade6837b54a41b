"""Which record an id names, and who may read or comment on it: one answer for notes and audit.

A promotion record (lead, project, issue, capital inflow, follow-up) is read by its own scope rule
(a follow-up also by its owner, as crm/followups/followups.py reads it). Library
and calendar records (company, contact, event) every role reads; commenting on them follows the
chains they touch, so a chain leader may comment on the firms and events of their chains.
A note takes the access of the record it is attached to.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.followups import followups
from crm.pipeline import leads
from crm.projects import firm_issues, projects
from crm.base.access import Actor, Scope, can_comment, can_read
from crm.errors import NotFound

# Labels an id is looked up in, in order, when the caller does not say which.
LOCATABLE = ("Lead", "Project", "Issue", "Company", "Contact", "Event", "CapitalInflow", "Note", "FollowUp")
NOTABLE = ("Lead", "Project", "Company", "Event", "Issue", "Contact")
_CHAINS = {
    "Company": "MATCH (:Company {id: $id})-[:MAKES]->(n:ChainNode) RETURN DISTINCT n.chain_id AS chain",
    "Contact": ("MATCH (:Contact {id: $id})-[:WORKS_AT]->(:Company)-[:MAKES]->(n:ChainNode) "
                "RETURN DISTINCT n.chain_id AS chain"),
    "Event": "MATCH (:Event {id: $id})-[:FOCUSES_ON]->(ch:Chain) RETURN DISTINCT ch.id AS chain",
}


@dataclass(frozen=True)
class RecordRef:
    """A located record: its label, and the scopes its access rules look at (`Scope()` when none)."""
    label: str
    id: str
    scopes: tuple[Scope, ...]
    public: bool = False
    owner_id: str | None = None  # a follow-up's owner reads it whatever its scope


def _label_of(store: Any, record_id: str, labels: tuple[str, ...]) -> str | None:
    query = " UNION ALL ".join(f"MATCH (n:{label} {{id: $id}}) RETURN '{label}' AS label" for label in labels)
    rows = store.read(query, {"id": record_id})
    found = {r["label"] for r in rows}
    return next((label for label in labels if label in found), None)


def locate(store: Any, record_id: str, label: str | None = None) -> RecordRef:
    """Find the record (in `label`, or in any locatable label) and the scopes it is read by."""
    labels = (label,) if label else LOCATABLE
    if label not in LOCATABLE and label is not None:
        raise NotFound(label, record_id)
    found = _label_of(store, record_id, labels)
    if found is None:
        raise NotFound(label or "Record", record_id)
    if found == "Lead":
        return RecordRef(found, record_id, (leads.fetch(store, record_id).scope,))
    if found == "Project":
        return RecordRef(found, record_id, (projects.fetch(store, record_id).scope,))
    if found == "Issue":
        return RecordRef(found, record_id, (firm_issues.fetch(store, record_id).scope,))
    if found == "CapitalInflow":
        rows = store.read("MATCH (:CapitalInflow {id: $id})-[:PAID_INTO]->(p:Project) RETURN p.id AS id",
                          {"id": record_id})
        return RecordRef(found, record_id, (projects.fetch(store, rows[0]["id"]).scope,) if rows else (Scope(),))
    if found == "Note":
        return _note_record(store, record_id)
    if found == "FollowUp":
        item = followups.fetch(store, record_id)
        return RecordRef(found, record_id, (item.scope,), owner_id=item.owner_id)
    chains = sorted(r["chain"] for r in store.read(_CHAINS[found], {"id": record_id}) if r["chain"])
    return RecordRef(found, record_id, tuple(Scope(chain=c) for c in chains) or (Scope(),), public=True)


def note_target(store: Any, note_id: str) -> tuple[str, str] | None:
    """The (label, id) of the record a note is attached to."""
    query = " UNION ALL ".join(f"MATCH (:Note {{id: $id}})-[:ATTACHED_TO]->(r:{label}) "
                               f"RETURN '{label}' AS label, r.id AS id" for label in NOTABLE)
    rows = store.read(query, {"id": note_id})
    return (rows[0]["label"], rows[0]["id"]) if rows else None


def _note_record(store: Any, note_id: str) -> RecordRef:
    target = note_target(store, note_id)
    if target is None:
        return RecordRef("Note", note_id, (Scope(),))
    record = locate(store, target[1], target[0])
    return RecordRef("Note", note_id, record.scopes, record.public)


def may_read(actor: Actor, ref: RecordRef) -> bool:
    return (ref.public or any(can_read(actor, scope) for scope in ref.scopes)
            or (ref.owner_id is not None and ref.owner_id == actor.id))


def may_comment(actor: Actor, ref: RecordRef) -> bool:
    return any(can_comment(actor, scope) for scope in ref.scopes)
