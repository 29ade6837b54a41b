"""Leads: a company the bureau pursues for a chain link, landing in a district, owned by someone.

Services here read, check access and rules, write, and audit, in one store transaction each.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm.base import hooks, keyset, records
from crm.base.access import Actor, Scope, can_assign, can_read, can_write, read_scope, require
from crm.base.columns import Columns
from crm.base.copies import COPIES
from crm.base.checks import chain_of
from crm.errors import NotFound, ValidationFailed
from crm.pipeline.stages import OPEN_STAGES, check_transition
from crm.base.listing import Page, Term, Where, count, order_by, paging, read_page, search_text, where_of
from crm.pipeline.lead_fields import (REFS, check_refs, default_title, derived, names_found, names_of,
                                      record_stage_change, refresh_derived, validate)
from graph.cypher import columns, read_with

EDITABLE = ("title", "priority", "expected_usd", "source", "archived")

# Lists filter and sort on the lead's own (mirrored) properties, then join only the page.
SORTS = {
    "created_at": "l.created_at", "updated_at": "l.updated_at", "expected_usd": "l.expected_usd",
    "priority": "l.priority", "stage": "l.stage", "score": "l.score", "title": "l.title",
    "stage_changed_at": "l.stage_changed_at", "last_followup_at": "l.last_followup_at",
}
_COLUMNS = columns("Lead", "l", leave=("search_text",))  # what a lead shows, as columns (graph/cypher.py)
# What a list filters on (terms_of); with the sort keys, the columns of the in-process copy (crm/base/copies.py).
FILTERED = ("archived", "stage", "priority", "owner_id", "district_id", "chain_id", "link_id", "company_id",
            "source", "event_id", "search_text")
_COPIED = tuple(dict.fromkeys((*FILTERED, *SORTS)))
_COPY = f"MATCH (l:Lead) RETURN l.id AS id, {', '.join(f'l.{p} AS {p}' for p in _COPIED)}"
_COPY_SOME = f"UNWIND $ids AS i MATCH (l:Lead {{id: i}}) RETURN l.id AS id, {', '.join(f'l.{p} AS {p}' for p in _COPIED)}"


@dataclass
class Lead:
    id: str
    title: str
    stage: str
    priority: str
    company_id: str
    link_id: str
    chain_id: str | None = None
    expected_usd: int | None = None
    source: str | None = None
    company_name_zh: str | None = None
    company_name_en: str | None = None
    link_name_zh: str | None = None
    link_name_en: str | None = None
    district_id: str | None = None
    district_name_zh: str | None = None
    district_name_en: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    event_id: str | None = None
    project_id: str | None = None
    drop_reason: str | None = None
    dropped_from: str | None = None
    score: float | None = None
    score_factors: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    stage_changed_at: datetime | None = None
    last_followup_at: datetime | None = None
    pooled_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(district=self.district_id, chain=self.chain_id)

    @property
    def in_pool(self) -> bool:
        return self.owner_id is None and self.stage in OPEN_STAGES and not self.archived

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Lead":
        fields = records.values_of(cls, row, "lead")
        factors = row["lead"].get("score_factors")
        fields["score_factors"] = json.loads(factors) if factors else None
        fields["title"] = fields.get("title") or ""
        return cls(**fields)


@dataclass
class LeadQuery:
    stage: list[str] = field(default_factory=list)
    priority: list[str] = field(default_factory=list)
    owner: str | None = None
    district: str | None = None
    chain: str | None = None
    link: str | None = None
    company: str | None = None
    source: str | None = None
    event: str | None = None
    pool: bool | None = None
    q: str | None = None
    archived: bool = False
    sort: str = "-updated_at"
    page: int = 1
    page_size: int = 50
    after: str | None = None  # a cursor from the page before (crm/base/keyset.py); page then only labels


def terms_of(query: LeadQuery, actor: Actor) -> list[Term]:
    terms = [Term("archived", "=", query.archived)]
    if query.stage:
        terms.append(Term("stage", "IN", list(query.stage)))
    if query.priority:
        terms.append(Term("priority", "IN", list(query.priority)))
    for name, value in (("owner_id", query.owner), ("district_id", query.district), ("chain_id", query.chain),
                        ("link_id", query.link), ("company_id", query.company), ("source", query.source),
                        ("event_id", query.event)):
        if value:
            terms.append(Term(name, "=", value))
    if query.pool is True:
        terms += [Term("owner_id", "IS NULL"), Term("stage", "IN", list(OPEN_STAGES))]
    elif query.pool is False:
        terms.append(Term("owner_id", "IS NOT NULL"))
    text = search_text(query.q)
    if text:
        terms.append(Term("search_text", "CONTAINS", text))
    limit = read_scope(actor)
    if limit:
        terms.append(Term(f"{limit[0]}_id", "IN", limit[1]))
    return terms


def where(query: LeadQuery, actor: Actor) -> Where:
    """The list's filter as a WHERE on `l`, for reports counting what the list would show."""
    return where_of("l", terms_of(query, actor))


def list_leads(store: Any, query: LeadQuery, *, actor: Actor) -> Page[Lead]:
    """A page of leads in the order asked, ties by id: after the cursor if one is given, else by number.

    On the embedded engine the total and the page's ids come from the in-process copy of the list's
    columns when it is as new as the store (crm/base/copies.py), else from the engine.
    """
    terms = terms_of(query, actor)
    desc, key = query.sort.startswith("-"), query.sort.lstrip("-+")
    order_by(query.sort, {k: "k" for k in SORTS}, "id")  # refuses an unknown key
    cursor = keyset.decode(query.after, sort=query.sort, label="Lead", prop=key) if query.after else None
    skip, limit = paging(query.page, query.page_size)
    copy = copied(store)
    if copy is not None:
        total = copy.count(terms)
        rows = copy.page(terms, key, desc, skip=0 if cursor else skip, limit=limit, after=cursor)
    else:
        total, rows = _engine_page(store, query, terms, key, desc, cursor)
    following = (keyset.encode(query.sort, rows[-1]["k"], rows[-1]["id"])
                 if len(rows) == query.page_size else None)
    return Page(fetch_many(store, [r["id"] for r in rows]), total, query.page, query.page_size, following)


def copied(store: Any, *, wait: bool = False) -> Columns | None:
    """The leads' list columns as the store now holds them, when the process keeps such a copy."""
    return COPIES.current(store, "leads", lambda: store.read(_COPY), _COPIED, wait=wait, label="Lead",
                          load_some=lambda ids: store.read(_COPY_SOME, {"ids": ids}))


def _engine_page(store: Any, query: LeadQuery, terms: list[Term], key: str, desc: bool,
                 cursor: keyset.Cursor | None) -> tuple[int, list[dict[str, Any]]]:
    where = where_of("l", terms)
    sort_column, order = keyset.order(SORTS[key], desc)
    match = f"MATCH (l:Lead) {where.clause()}"
    if cursor:
        total = count(store, match + " RETURN count(l) AS n", where.params)
        fragment, params = keyset.after(SORTS[key], "l.id", cursor, desc)
        rows = store.read(f"{match} {'AND' if where.parts else 'WHERE'} {fragment} WITH l.id AS id, {sort_column} "
                          f"{order} LIMIT $limit RETURN id, k", {**where.params, **params, "limit": query.page_size})
        return total, rows
    return read_page(store, match + " RETURN count(l) AS n",
                     f"{match} WITH l.id AS id, {sort_column} {order} SKIP $skip LIMIT $limit RETURN id, k",
                     where.params, page=query.page, page_size=query.page_size)


def fetch_many(reader: Any, ids: list[str]) -> list[Lead]:
    """Leads by id, in the order given."""
    return assembled(reader, ids, nodes_of(reader, ids))


def nodes_of(reader: Any, ids: list[str]) -> list[dict[str, Any]]:
    """The leads' own columns: what a write transaction reads back of what it wrote (the names around
    them are read after the commit, from memory, outside the write lock)."""
    if not ids:
        return []
    run = read_with(reader)
    return run(f"UNWIND $ids AS i MATCH (l:Lead {{id: i}}) RETURN {_COLUMNS}", {"ids": ids})


def assembled(reader: Any, ids: list[str], nodes: list[dict[str, Any]]) -> list[Lead]:
    """Leads from their columns and the names of what they point at, in the order of `ids`."""
    # The lead's mirrored ids name what it points at; each is a key lookup, not a join.
    companies = records.by_ids(reader, "Company", (n["company_id"] for n in nodes), ("name_zh", "name_en"))
    links = records.by_ids(reader, "ChainNode", (n["link_id"] for n in nodes), ("name_zh", "name_en", "chain_id"))
    districts = records.by_ids(reader, "District", (n["district_id"] for n in nodes), ("name_zh", "name_en"))
    owners = records.by_ids(reader, "User", (n["owner_id"] for n in nodes), ("display_name",))
    found = {}
    for node in nodes:
        c, n = companies.get(node["company_id"], {}), links.get(node["link_id"], {})
        d, u = districts.get(node["district_id"], {}), owners.get(node["owner_id"], {})
        found[node["id"]] = Lead.from_row({
            "lead": node, "company_id": c.get("id"), "company_name_zh": c.get("name_zh"),
            "company_name_en": c.get("name_en"), "link_id": n.get("id"), "link_name_zh": n.get("name_zh"),
            "link_name_en": n.get("name_en"), "chain_id": n.get("chain_id"), "district_id": d.get("id"),
            "district_name_zh": d.get("name_zh"), "district_name_en": d.get("name_en"), "owner_id": u.get("id"),
            "owner_name": u.get("display_name"), "event_id": node.get("event_id"),
            "project_id": node.get("project_id")})
    return [found[i] for i in ids if i in found]


def fetch(reader: Any, lead_id: str) -> Lead:
    found = fetch_many(reader, [lead_id])
    if not found:
        raise NotFound("Lead", lead_id)
    return found[0]


def scope_of(reader: Any, lead_id: str) -> tuple[Scope, str | None]:
    """The lead's access scope and owner, from its mirrored ids (one key lookup)."""
    run = read_with(reader)
    rows = run("MATCH (l:Lead {id: $id}) RETURN l.district_id AS district, l.chain_id AS chain, l.owner_id AS owner",
               {"id": lead_id})
    if not rows:
        raise NotFound("Lead", lead_id)
    return Scope(district=rows[0]["district"], chain=rows[0]["chain"]), rows[0]["owner"]


def get_lead(store: Any, lead_id: str, *, actor: Actor) -> Lead:
    """A lead the actor may read; others' leads are reported as not found, not as forbidden."""
    lead = fetch(store, lead_id)
    if not can_read(actor, lead.scope):
        raise NotFound("Lead", lead_id)
    return lead


def create_lead(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime, first_followup: bool = True) -> Lead:
    """Open a new lead at `identified`; without an owner it waits in the pool. It gets its first follow-up
    (crm/base/hooks.new_work) unless the caller schedules its own (`first_followup=False`: a meeting)."""
    errors = validate(data, creating=True)
    if errors:
        raise ValidationFailed(errors)
    # Checked before the write lock is taken (each statement inside it is one more wait for every other
    # writer); a reference deleted meanwhile still fails the write, as linking to it finds nothing.
    problems = check_refs(store, data, now=now)
    if problems:
        raise ValidationFailed(problems)
    names = names_of(store, data["company_id"], data["link_id"])
    scope = Scope(district=data.get("district_id"), chain=names["chain"])
    require(can_write(actor, scope), "create a lead here")
    title = data.get("title") or default_title(names)

    def work(tx: Any) -> str:
        props = {k: data.get(k) for k in ("title", "expected_usd", "score", "synthetic")}
        props.update(stage="identified", stage_changed_at=now, priority=data.get("priority") or "B",
                     source=data.get("source") or "referral")
        if data.get("score_factors") is not None:
            props["score_factors"] = json.dumps(data["score_factors"], ensure_ascii=False, sort_keys=True)
        if not data.get("owner_id"):
            props["pooled_at"] = now
        else:
            props["assigned_at"] = now
        if data.get("id"):
            props["id"] = data["id"]
        props["title"] = title
        record = records.create(tx, "Lead", props, actor=actor, now=now, prefix="lead", derived=derived(title, names),
                                links=[(rel, label, data.get(name)) for name, (rel, label) in REFS.items()])
        record_stage_change(tx, record["id"], None, "identified", actor=actor, now=now)
        if not data.get("owner_id"):
            from crm.pipeline.assignment import place

            place(tx, record["id"], chain_id=scope.chain, district_id=scope.district, now=now)
        if first_followup:
            hooks.new_work(tx, [record["id"]], now=now)
        return record["id"]

    return fetch(store, store.transaction(work))


def update_lead(store: Any, lead_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                expected_version: int | None) -> Lead:
    """Edit a lead's fields and references (not its stage: see move_lead)."""
    unknown = set(changes) - set(EDITABLE) - set(REFS)
    if unknown:
        raise ValidationFailed({k: ["cannot be changed here"] for k in sorted(unknown)})
    errors = validate(changes, creating=False)
    for name in ("company_id", "link_id"):
        if name in changes and not changes[name]:
            errors[name] = ["cannot be empty"]
    if errors:
        raise ValidationFailed(errors)
    lead = get_lead(store, lead_id, actor=actor)
    only_owner = set(changes) <= {"owner_id"}
    require(can_assign(actor, lead.scope) if only_owner else can_write(actor, lead.scope), "change this lead")
    renames = bool({"title", "company_id", "link_id"} & set(changes))
    # Read before the lock (each statement in it makes every other write wait); used if the lock finds
    # the same company and link, else read again there.
    pair = (changes.get("company_id", lead.company_id), changes.get("link_id", lead.link_id))
    names = names_found(store, *pair) if renames else None

    def work(tx: Any) -> list[dict[str, Any]]:
        problems = check_refs(tx, {k: v for k, v in changes.items() if k in REFS}, now=now)
        if problems:
            raise ValidationFailed(problems)
        new_scope = Scope(district=changes.get("district_id", lead.district_id),
                          chain=chain_of(tx, changes["link_id"]) if changes.get("link_id") else lead.chain_id)
        require(can_write(actor, new_scope) or only_owner, "move this lead out of your scope")
        fields = {k: v for k, v in changes.items() if k in EDITABLE}
        ref_diff = {k: (getattr(lead, k), v) for k, v in changes.items() if k in REFS and getattr(lead, k) != v}
        if "owner_id" in ref_diff:
            fields["pooled_at"] = now if changes["owner_id"] is None else None
            fields["assigned_at"] = None if changes["owner_id"] is None else now
        folded: list[bool] = []

        def follow_names(held: dict[str, Any]) -> dict[str, Any]:
            """The chain and search text in the same statement, when the names read before still apply."""
            if names is None or pair != (changes.get("company_id", held.get("company_id")),
                                         changes.get("link_id", held.get("link_id"))):
                return {}
            folded.append(True)
            return derived(held.get("title"), names)  # the title as locked, not as read before

        now_held = records.update(tx, "Lead", lead_id, fields, actor=actor, now=now,
                                  expected_version=expected_version, extra_audit=ref_diff,
                                  derive=follow_names if renames else None)
        for name in ref_diff:
            rel, label = REFS[name]
            records.relink(tx, rel, "Lead", lead_id, label, changes[name])
        if renames and not folded:
            refresh_derived(tx, lead_id, {"title": now_held.get("title"),  # as locked, not as read before
                                          "company": changes.get("company_id", now_held.get("company_id")),
                                          "link": changes.get("link_id", now_held.get("link_id"))})
        return nodes_of(tx, [lead_id])  # as written: read after the commit, another client's write could show

    return assembled(store, [lead_id], store.transaction(work))[0]


def move_lead(store: Any, lead_id: str, to: str, *, actor: Actor, now: datetime, expected_version: int | None,
              reason: str | None = None, project: dict[str, Any] | None = None) -> Lead:
    """Change a lead's stage by the pipeline rules; signing turns it into a project."""
    from crm.projects.projects import create_project_for_lead

    lead = get_lead(store, lead_id, actor=actor)
    require(can_write(actor, lead.scope), "change this lead's stage")
    check_transition(lead.stage, to, reason=reason, dropped_from=lead.dropped_from)

    def work(tx: Any) -> list[dict[str, Any]]:
        fields: dict[str, Any] = {"stage": to, "stage_changed_at": now}
        if to == "dropped":
            fields.update(drop_reason=reason.strip() if reason else None, dropped_from=lead.stage)
        elif lead.stage == "dropped":
            fields.update(drop_reason=None, dropped_from=None)
        records.update(tx, "Lead", lead_id, fields, actor=actor, now=now, expected_version=expected_version,
                       action="stage")
        record_stage_change(tx, lead_id, lead.stage, to, actor=actor, now=now, reason=reason)
        if to == "signed":
            hooks.new_work(tx, [create_project_for_lead(tx, lead, project or {}, actor=actor, now=now)], now=now)
        return nodes_of(tx, [lead_id])

    return assembled(store, [lead_id], store.transaction(work))[0]


def stage_history(store: Any, lead_id: str) -> list[dict[str, Any]]:
    return store.read("MATCH (s:StageChange)-[:STAGE_OF]->(l:Lead {id: $id}) "
                      "RETURN s.from_stage AS from_stage, s.to_stage AS to_stage, s.at AS at, "
                      "s.actor AS actor, s.reason AS reason ORDER BY s.at, s.id", {"id": lead_id})
