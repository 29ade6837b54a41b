"""Versioned records with an audit trail: every create and update of a CRM record goes here.

Updates lock the node first (`SET n.version = n.version + 1` takes Neo4j's write lock before
reading, and Ladybug serialises writers), then compare the version the caller saw: a stale
write raises VersionConflict instead of overwriting someone else's change.
"""
from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import MISSING
from datetime import date, datetime
from typing import Any, Callable, Iterable

from crm.base import memo
from crm.base.access import Actor
from crm.errors import NotFound, VersionConflict
from graph.cypher import read_with, set_params
from graph.schema import SCHEMA

RECORD_FIELDS = ("created_at", "updated_at", "version", "archived", "synthetic")


def new_id(prefix: str) -> str:
    """Ids sort in creation order (time first), so equal timestamps still list in order."""
    return f"{prefix}-{time.time_ns():x}{uuid.uuid4().hex[:6]}"


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


# Fields whose values never enter the audit trail: the entry says the field changed, not to what.
SECRET = re.compile(r"password|secret|token|digest|hash|api_?key", re.IGNORECASE)
HIDDEN = "(secret: changed)"


def audit(tx: Any, actor: Actor, action: str, label: str, record_id: str,
          changes: dict[str, tuple[Any, Any]], now: datetime) -> None:
    """Store who changed what: each changed field with its value before and after (secrets masked)."""
    clause, params, entry = audit_clause(actor, action, label, record_id, changes, now)
    tx.run(clause, params, touches={"AuditEntry": [entry]})


def audit_clause(actor: Actor, action: str, label: str, record_id: str, changes: dict[str, tuple[Any, Any]],
                 now: datetime) -> tuple[str, dict[str, Any], str]:
    """The audit entry's CREATE, its parameters (named audit_*) and its id, for a write to append to its
    own statement: on Neo4j each statement is a round trip (a new lead 16 -> 6 statements, a quarter faster)."""
    body = {k: [HIDDEN, HIDDEN] if SECRET.search(k) else [_json_value(a), _json_value(b)]
            for k, (a, b) in changes.items()}
    entry = new_id("audit")
    clause = ("CREATE (audit:AuditEntry {id: $audit_id}) SET audit.at = $audit_at, audit.actor = $audit_actor, "
              "audit.action = $audit_action, audit.record_label = $audit_label, audit.record_id = $audit_rid, "
              "audit.changes = $audit_changes")
    params = {"audit_id": entry, "audit_at": now, "audit_actor": actor.username, "audit_action": action,
              "audit_label": label, "audit_rid": record_id,
              "audit_changes": json.dumps(body, ensure_ascii=False, sort_keys=True)}
    return clause, params, entry


def values_of(cls: Any, row: dict[str, Any], key: str, flags: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record dataclass's arguments from a query row: the node under `key`, the row's other columns.

    An unset property leaves the field's default; flags (and archived, synthetic) unset mean false.
    """
    node, fields = row[key], cls.__dataclass_fields__
    values = {k: v for k, v in node.items() if k in fields and (v is not None or not _has_default(fields[k]))}
    values.update({k: v for k, v in row.items() if k != key})
    for flag in (*flags, "archived", "synthetic"):
        if flag in fields:
            values[flag] = bool(node.get(flag))
    return values


def _has_default(field: Any) -> bool:
    return field.default is not MISSING or field.default_factory is not MISSING


def get(reader: Any, label: str, record_id: str) -> dict[str, Any]:
    run = read_with(reader)
    rows = run(f"MATCH (n:{label} {{id: $id}}) RETURN n", {"id": record_id})
    if not rows:
        raise NotFound(label, record_id)
    return rows[0]["n"]


NAMED = frozenset({"Company", "ChainNode", "District", "User"})  # what crm.base.memo.names may remember


def by_ids(reader: Any, label: str, ids: Iterable[str | None], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Some fields of the records with these ids, by id: key lookups, not a join (fast on Ladybug).

    Outside a transaction the names of NAMED records come from crm.base.memo when it has them.
    """
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    declared = SCHEMA.node(label).names
    columns = ", ".join(f"n.{f} AS {f}" for f in fields if f in declared)
    query = f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id, {columns}"
    if hasattr(reader, "run") or label not in NAMED:  # a transaction reads what it sees, not memory
        run = read_with(reader)
        return {r["id"]: r for r in run(query, {"ids": wanted})}

    def load(keys: list[Any]) -> dict[Any, dict[str, Any]]:
        rows = reader.read(query, {"ids": [k[-1] for k in keys]})
        return {memo.keyed(reader, label, fields, r["id"]): r for r in rows}

    found = memo.names.get_many([memo.keyed(reader, label, fields, i) for i in wanted], load)
    return {row["id"]: row for row in found.values()}


def create(tx: Any, label: str, props: dict[str, Any], *, actor: Actor, now: datetime,
           prefix: str | None = None, extra_audit: dict[str, tuple[Any, Any]] | None = None,
           links: Iterable[tuple[str, str, str | None]] = (), derived: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create a record, its relationships `links` ((type, end label, end id); an end id of None links
    nothing) with their mirror properties, and its audit entry, in one statement. An end that does not
    exist raises NotFound and creates nothing. `derived`: properties computed from others (a lead's
    search text), stored but not audited."""
    record = {k: v for k, v in props.items() if v is not None}
    record.setdefault("id", new_id(prefix or label.lower()))
    record.update(created_at=now, updated_at=now, version=1, archived=False)
    record.setdefault("synthetic", False)
    stored = record | (derived or {})
    SCHEMA.check_node(label, stored)
    ends = [(rel, end_label, end_id) for rel, end_label, end_id in links if end_id]
    mirrors = [(k, mirror) for k, (rel, _, _) in enumerate(ends)
               if (mirror := SCHEMA.mirror(rel, label)) and mirror not in stored]
    sets = [set_params("n", [k for k in stored if k != "id"]), *(f"n.{mirror} = $end_{k}" for k, mirror in mirrors)]
    clause, audit_params, entry = audit_clause(
        actor, "create", label, record["id"],
        {k: (None, v) for k, v in record.items() if k not in RECORD_FIELDS} | (extra_audit or {}), now)
    query = ("".join(f"MATCH (end_{k}:{end_label} {{id: $end_{k}}}) " for k, (_, end_label, _) in enumerate(ends))
             + f"CREATE (n:{label} {{id: $id}}) SET {', '.join(sets)} "
             + "".join(f"CREATE (n)-[:{rel}]->(end_{k}) " for k, (rel, _, _) in enumerate(ends))
             + f"{clause} RETURN n.id AS id")
    params = stored | {f"end_{k}": end_id for k, (_, _, end_id) in enumerate(ends)} | audit_params
    if not tx.run(query, params, touches={label: [record["id"]], "AuditEntry": [entry]}):
        for _, end_label, end_id in ends:
            if not tx.run(f"MATCH (n:{end_label} {{id: $id}}) RETURN n.id AS id", {"id": end_id}):
                raise NotFound(end_label, end_id)
        raise RuntimeError(f"creating {label} {record['id']} wrote nothing")
    return record


def lock(tx: Any, label: str, record_id: str, expected_version: int | None) -> dict[str, Any]:
    """Take the record's write lock, then check the caller saw its current version.

    Nodes loaded from seeds carry no version yet; they count as version 1, as they read.
    """
    rows = tx.run(f"MATCH (n:{label} {{id: $id}}) SET n.version = coalesce(n.version, 1) + 1 RETURN n",
                  {"id": record_id}, touches={label: [record_id]})
    if not rows:
        raise NotFound(label, record_id)
    before = dict(rows[0]["n"])
    before["version"] -= 1
    if expected_version is not None and before["version"] != expected_version:
        raise VersionConflict(label, record_id, expected_version, before["version"])
    return before


def update(tx: Any, label: str, record_id: str, changes: dict[str, Any], *, actor: Actor,
           now: datetime, expected_version: int | None, action: str = "update",
           extra_audit: dict[str, tuple[Any, Any]] | None = None,
           derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> dict[str, Any]:
    """Apply changes to a locked record; returns the record as it now is. `derive(record as changed)` gives
    fields that follow from it (a lead's search text), set in the same statement and not audited."""
    before = lock(tx, label, record_id, expected_version)
    changed = {k: v for k, v in changes.items() if before.get(k) != v}
    following = derive({**before, **changed}) if derive else {}
    SCHEMA.check_node(label, {**changed, **following})
    sets = {**changed, **following, "updated_at": now}
    diff = {k: (before.get(k), v) for k, v in changed.items()} | (extra_audit or {})
    clause, audit_params, entry = audit_clause(actor, action, label, record_id, diff, now)
    tx.run(f"MATCH (n:{label} {{id: $id}}) SET {set_params('n', sets, prefix='p_')} {clause}",
           {"id": record_id, **{f"p_{k}": v for k, v in sets.items()}, **audit_params},
           touches={label: [record_id], "AuditEntry": [entry]})
    return {**before, **sets, "version": before["version"] + 1}


def relink(tx: Any, rel: str, start_label: str, start_id: str, end_label: str, end_id: str | None) -> None:
    """Point a record's single relationship of this type at a new node (or at none).

    The start node's mirror property (see graph.schema.RelType) follows the relationship. A record
    being created links with `create(..., links=)`: it has nothing to delete.
    """
    tx.run(f"MATCH (a:{start_label} {{id: $a}})-[r:{rel}]->(:{end_label}) DELETE r", {"a": start_id}, touches={})
    mirror = SCHEMA.mirror(rel, start_label)
    touched = {start_label: [start_id]} if mirror else {}
    if end_id is None:
        if mirror:
            tx.run(f"MATCH (a:{start_label} {{id: $a}}) SET a.{mirror} = NULL", {"a": start_id}, touches=touched)
        return
    follow = f"SET a.{mirror} = b.id " if mirror else ""
    found = tx.run(f"MATCH (a:{start_label} {{id: $a}}) MATCH (b:{end_label} {{id: $b}}) "
                   f"{follow}CREATE (a)-[:{rel}]->(b) RETURN b.id AS id", {"a": start_id, "b": end_id}, touches=touched)
    if not found:
        raise NotFound(end_label, end_id)
