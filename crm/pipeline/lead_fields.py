"""A lead's fields: what is valid, what its references must point at, and what follows from them.

The lead services (crm/pipeline/leads.py) and the migrations that rebuild derived fields share these.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor
from crm.choices import LEAD_SOURCES, PRIORITIES
from crm.base.checks import check_district_current, check_exists
from graph.cypher import read_with

# Relationship of the lead to each referenced record, and the label at its end.
REFS = {
    "company_id": ("TARGETS", "Company"),
    "link_id": ("FILLS", "ChainNode"),
    "district_id": ("LANDS_IN", "District"),
    "owner_id": ("OWNED_BY", "User"),
    "event_id": ("SOURCED_AT", "Event"),
}

def validate(data: dict[str, Any], *, creating: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if creating:
        for name in ("company_id", "link_id"):
            if not data.get(name):
                errors.setdefault(name, []).append("required")
    if data.get("priority") is not None and data["priority"] not in PRIORITIES:
        errors["priority"] = [f"must be one of {', '.join(PRIORITIES.values)}"]
    if data.get("source") is not None and data["source"] not in LEAD_SOURCES:
        errors["source"] = [f"must be one of {', '.join(LEAD_SOURCES.values)}"]
    usd = data.get("expected_usd")
    if usd is not None and (not isinstance(usd, int) or isinstance(usd, bool) or usd < 0):
        errors["expected_usd"] = ["must be a whole number of US dollars, 0 or more"]
    if "title" in data and data["title"] is not None and len(data["title"]) > 200:
        errors["title"] = ["at most 200 characters"]
    return errors


def check_refs(tx: Any, data: dict[str, Any], *, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, (_, label) in REFS.items():
        if data.get(name):
            errors.update(check_exists(tx, label, data[name], name))
    if data.get("district_id") and "district_id" not in errors:
        errors.update(check_district_current(tx, data["district_id"], "district_id", now=now))
    return errors


_NAMES = ("MATCH (c:Company {id: $c}) MATCH (n:ChainNode {id: $n}) RETURN c.name_zh AS czh, c.name_en AS cen, "
          "c.aliases AS aliases, n.name_zh AS nzh, n.name_en AS nen, n.chain_id AS chain")


def names_of(reader: Any, company_id: str, link_id: str) -> dict[str, Any]:
    """The names a lead's default title and search text are made of (a store outside the write lock, or a
    transaction), found by key."""
    found = names_found(reader, company_id, link_id)
    if found is None:
        raise LookupError(f"no company {company_id!r} or no chain link {link_id!r}")
    return found


def names_found(reader: Any, company_id: str | None, link_id: str | None) -> dict[str, Any] | None:
    """names_of, or None when the company or the link is missing (an edit checks them later, in the lock)."""
    if not company_id or not link_id:
        return None
    rows = read_with(reader)(_NAMES, {"c": company_id, "n": link_id})
    return dict(rows[0]) if rows else None


def derived(title: str | None, names: dict[str, Any]) -> dict[str, Any]:
    """The lead's chain and search text, which follow its link, company and title (lists read them)."""
    parts = [title, names["czh"], names["cen"], *(names["aliases"] or []), names["nzh"], names["nen"]]
    return {"chain_id": names["chain"], "search_text": " | ".join(p for p in parts if p).lower()}


def refresh_derived(tx: Any, lead_id: str, lead: dict[str, Any] | None = None) -> None:
    """Store the lead's derived fields after an edit.

    Key lookups through the lead's mirrored ids (or `lead`'s title, company and link when the caller
    has them): the join through TARGETS and FILLS took 94 ms at 20,000 leads on Ladybug, inside the
    write lock, so every write waited for it (bench/load.py); each statement there costs a wait too.
    """
    if lead is None:
        lead = tx.run("MATCH (l:Lead {id: $id}) RETURN l.title AS title, l.company_id AS company, "
                      "l.link_id AS link", {"id": lead_id})[0]
    tx.run("MATCH (l:Lead {id: $id}) SET l.chain_id = $chain_id, l.search_text = $search_text",
           {"id": lead_id, **derived(lead["title"], names_of(tx, lead["company"], lead["link"]))},
           touches={"Lead": [lead_id]})


def default_title(names: dict[str, Any]) -> str:
    return f"{names['czh'] or names['cen']} · {names['nzh']}"


def record_stage_change(tx: Any, lead_id: str, before: str | None, after: str, *, actor: Actor, now: datetime,
                  reason: str | None = None) -> None:
    change = records.new_id("stage")
    tx.run("MATCH (l:Lead {id: $lead}) CREATE (s:StageChange {id: $id}) "
           "SET s.from_stage = $before, s.to_stage = $after, s.at = $now, s.actor = $actor, s.reason = $reason "
           "CREATE (s)-[:STAGE_OF]->(l)",
           {"lead": lead_id, "id": change, "before": before, "after": after, "now": now,
            "actor": actor.username, "reason": reason}, touches={"StageChange": [change]})
