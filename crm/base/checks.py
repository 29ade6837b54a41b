"""Checks that a record's references point at something real (and, for districts, current)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.base.clock import local_today
from graph.cypher import read_with


def check_exists(tx: Any, label: str, record_id: str, field: str) -> dict[str, list[str]]:
    run = read_with(tx)
    rows = run(f"MATCH (n:{label} {{id: $id}}) RETURN n.id AS id", {"id": record_id})
    return {} if rows else {field: [f"no {label} with id {record_id!r}"]}


def check_district_current(tx: Any, district_id: str, field: str, *, now: datetime) -> dict[str, list[str]]:
    """New records land in today's divisions; an abolished one names its successor."""
    run = read_with(tx)
    rows = run("MATCH (d:District {id: $id}) OPTIONAL MATCH (d)-[:SUCCEEDED_BY]->(s:District) "
                  "RETURN d.valid_to AS valid_to, d.name_zh AS name, s.id AS successor, s.name_zh AS successor_name",
                  {"id": district_id})
    if not rows or rows[0]["valid_to"] is None or rows[0]["valid_to"] > local_today(now):
        return {}
    row = rows[0]
    hint = f"; use {row['successor_name']} ({row['successor']})" if row["successor"] else ""
    return {field: [f"{row['name']} ({district_id}) was abolished on {row['valid_to'].isoformat()}{hint}"]}


def chain_of(tx: Any, link_id: str | None) -> str | None:
    """The chain a link belongs to: the chain half of a record's access scope."""
    if not link_id:
        return None
    run = read_with(tx)
    rows = run("MATCH (n:ChainNode {id: $id}) RETURN n.chain_id AS chain", {"id": link_id})
    return rows[0]["chain"] if rows else None
