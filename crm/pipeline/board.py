"""The pipeline at a glance: how many leads of one LeadQuery sit in each stage, and each stage's first cards.

The kanban and the home pages show every stage at once. Asking `list_leads` once per stage would
count and join six times; here the stages are counted in one grouped read, one page of ids is
read per stage, and all the cards are joined in a single fetch. Filters, scope and sort are the
lead list's own (crm/pipeline/leads.py), so a board and a list of the same query agree.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from crm.base.access import Actor
from crm.choices import LEAD_STAGES
from crm.pipeline.leads import SORTS, Lead, LeadQuery, copied, fetch_many, terms_of
from crm.base.listing import order_by, where_of


@dataclass
class Column:
    stage: str
    total: int
    leads: list[Lead]


def stage_counts(store: Any, query: LeadQuery, *, actor: Actor) -> dict[str, int]:
    """Leads per stage matching the query (its own stage filter aside), every stage present."""
    terms = terms_of(replace(query, stage=[]), actor)
    copy = copied(store)
    if copy is not None:
        return dict.fromkeys(LEAD_STAGES.values, 0) | copy.tally(terms, "stage")
    where = where_of("l", terms)
    rows = store.read(f"MATCH (l:Lead) {where.clause()} RETURN l.stage AS stage, count(l) AS n", where.params)
    return dict.fromkeys(LEAD_STAGES.values, 0) | {r["stage"]: r["n"] for r in rows}


def board(store: Any, query: LeadQuery, *, actor: Actor, per_stage: int) -> list[Column]:
    """One column per stage (or per stage the query asks for), each with its first `per_stage` leads."""
    counts = stage_counts(store, query, actor=actor)
    order = order_by(query.sort, {k: "k" for k in SORTS}, "id")
    key, desc = query.sort.lstrip("-+"), query.sort.startswith("-")
    copy = copied(store)
    ids: dict[str, list[str]] = {}
    for stage in query.stage or LEAD_STAGES.values:
        if not counts.get(stage):
            ids[stage] = []
            continue
        terms = terms_of(replace(query, stage=[stage]), actor)
        if copy is not None:
            ids[stage] = [r["id"] for r in copy.page(terms, key, desc, limit=per_stage)]
            continue
        where = where_of("l", terms)
        ids[stage] = [r["id"] for r in store.read(
            f"MATCH (l:Lead) {where.clause()} WITH l.id AS id, {SORTS[key]} AS k {order} LIMIT $limit RETURN id",
            {**where.params, "limit": per_stage})]
    found = {lead.id: lead for lead in fetch_many(store, [i for stage_ids in ids.values() for i in stage_ids])}
    return [Column(stage, counts.get(stage, 0), [found[i] for i in stage_ids if i in found])
            for stage, stage_ids in ids.items()]
