"""Projects: signed investments (重点项目库), each with its investor, district, link and flags.

A project usually comes from signing a lead; a capital increase or reinvestment by a firm
already here may be entered directly. Its flags (manufacturing, industry category, high tech,
R&D centre) decide the plan's incentives (任务 5, 10) and where its capital counts in the KPIs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from crm.base import hooks, records
from crm.base.access import Actor, Scope, can_read, can_write, require, scope_filter
from crm.choices import PROJECT_KINDS
from crm.base.clock import local_today
from crm.errors import NotFound, ValidationFailed
from crm.projects.incentives import IncentivePolicy
from crm.policy import section
from crm.projects.rules import PLANNED, check_dates, check_plan, reconcile, validate
from crm.base.listing import Page, Where, order_by, read_page, search_text
from crm.base.checks import chain_of, check_district_current, check_exists
from graph.cypher import read_with



class SignedLead(Protocol):
    """What signing needs of a lead (crm/pipeline/leads.py sits above projects and hands its Lead in)."""
    id: str
    title: str
    company_id: str
    district_id: str | None
    link_id: str
    owner_id: str | None
    expected_usd: int | None
    synthetic: bool


REFS = {
    "company_id": ("INVESTED_BY", "Company"),
    "district_id": ("LOCATED_IN", "District"),
    "link_id": ("IN_LINK", "ChainNode"),
    "owner_id": ("OWNED_BY", "User"),
}
FLAGS = ("manufacturing", "high_tech", "high_tech_services", "rd_centre", "regional_hq")
EDITABLE = ("name", "kind", "signed_on", "total_investment_usd", "contracted_fdi_usd", "industry_category",
            "rd_centre_recognised_on", "capital_support_elsewhere", "rd_support_elsewhere", "archived") + FLAGS \
    + tuple(PLANNED.values())

_MATCH = (
    "MATCH (p:Project)-[:INVESTED_BY]->(c:Company) MATCH (p)-[:LOCATED_IN]->(d:District) "
    "OPTIONAL MATCH (p)-[:IN_LINK]->(n:ChainNode) WITH p, c, d, n ")
_RETURN = (
    "OPTIONAL MATCH (p)-[:OWNED_BY]->(u:User) OPTIONAL MATCH (l:Lead)-[:BECAME]->(p) "
    "RETURN p AS project, c.id AS company_id, c.name_zh AS company_name_zh, c.name_en AS company_name_en, "
    "d.id AS district_id, d.name_zh AS district_name_zh, d.name_en AS district_name_en, "
    "n.id AS link_id, n.name_zh AS link_name_zh, n.chain_id AS chain_id, u.id AS owner_id, "
    "u.display_name AS owner_name, l.id AS lead_id")

SORTS = {
    "signed_on": "p.signed_on", "created_at": "p.created_at", "updated_at": "p.updated_at", "name": "p.name",
    "contracted_fdi_usd": "p.contracted_fdi_usd", "total_investment_usd": "p.total_investment_usd",
    "company": "c.name_zh", "district": "d.id",
}


@dataclass
class Project:
    id: str
    name: str
    company_id: str
    district_id: str
    kind: str = "new"
    signed_on: date | None = None
    total_investment_usd: int | None = None
    contracted_fdi_usd: int | None = None
    manufacturing: bool = False
    industry_category: str = "other"
    high_tech: bool = False
    high_tech_services: bool = False
    rd_centre: bool = False
    rd_centre_recognised_on: date | None = None
    regional_hq: bool = False
    status: str = "active"
    capital_support_elsewhere: str | None = None
    rd_support_elsewhere: str | None = None
    stage: str = "signed"
    stage_on: date | None = None
    landed_on: date | None = None
    registered_planned_on: date | None = None
    registered_on: date | None = None
    started_planned_on: date | None = None
    started_on: date | None = None
    producing_planned_on: date | None = None
    producing_on: date | None = None
    full_production_planned_on: date | None = None
    full_production_on: date | None = None
    withdrawn_on: date | None = None
    company_name_zh: str | None = None
    company_name_en: str | None = None
    district_name_zh: str | None = None
    district_name_en: str | None = None
    link_id: str | None = None
    link_name_zh: str | None = None
    chain_id: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    lead_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    archived: bool = False
    synthetic: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(district=self.district_id, chain=self.chain_id)

    @property
    def incentive_excluded(self) -> bool:
        """Real estate, finance and quasi-finance earn no 任务 10 reward: flagged so users see it up front."""
        return self.industry_category in IncentivePolicy.load().excluded_categories

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Project":
        return cls(**records.values_of(cls, row, "project", FLAGS))


@dataclass
class ProjectQuery:
    district: str | None = None
    chain: str | None = None
    company: str | None = None
    owner: str | None = None
    kind: str | None = None
    manufacturing: bool | None = None
    high_tech: bool | None = None
    industry_category: str | None = None
    signed_year: int | None = None
    q: str | None = None
    archived: bool = False
    sort: str = "-signed_on"
    page: int = 1
    page_size: int = 50


def category_ids() -> list[str]:
    categories: Any = section("industry_categories")  # a list of {id, label_zh, label_en}
    return [c["id"] for c in categories]


def _where(query: ProjectQuery, actor: Actor) -> Where:
    w = Where()
    w.add("p.archived = $archived", archived=query.archived)
    for name, expr in (("district", "d.id"), ("chain", "n.chain_id"), ("company", "c.id"), ("kind", "p.kind"),
                       ("manufacturing", "p.manufacturing"), ("high_tech", "p.high_tech"),
                       ("industry_category", "p.industry_category")):
        value = getattr(query, name)
        if value is not None:
            w.add(f"{expr} = ${name}", **{name: value})
    if query.owner:
        w.add("EXISTS { MATCH (p)-[:OWNED_BY]->(:User {id: $owner}) }", owner=query.owner)
    if query.signed_year is not None:
        w.add("p.signed_on >= $signed_from AND p.signed_on < $signed_to",
              signed_from=date(query.signed_year, 1, 1), signed_to=date(query.signed_year + 1, 1, 1))
    text = search_text(query.q)
    if text:
        w.add("(toLower(p.name) CONTAINS $q OR toLower(c.name_zh) CONTAINS $q OR toLower(c.name_en) CONTAINS $q)",
              q=text)
    fragment, params = scope_filter(actor, "d.id", "n.chain_id")
    w.add(fragment, **params)
    return w


def list_projects(store: Any, query: ProjectQuery, *, actor: Actor) -> Page[Project]:
    """The projects the actor may read, filtered, searched, sorted and paged."""
    if query.signed_year is not None and not 1900 <= query.signed_year <= 2999:
        raise ValidationFailed({"signed_year": ["must be a year such as 2024"]})
    where = _where(query, actor)
    order = order_by(query.sort, SORTS, "p.id")
    total, rows = read_page(store, _MATCH + where.clause() + " RETURN count(p) AS n",
                            _MATCH + where.clause() + f" WITH p, c, d, n {order} SKIP $skip LIMIT $limit " + _RETURN,
                            where.params, page=query.page, page_size=query.page_size)
    return Page([Project.from_row(r) for r in rows], total, query.page, query.page_size)


def fetch(reader: Any, project_id: str) -> Project:
    run = read_with(reader)
    rows = run(_MATCH + "WHERE p.id = $id " + _RETURN, {"id": project_id})
    if not rows:
        raise NotFound("Project", project_id)
    return Project.from_row(rows[0])


def get_project(store: Any, project_id: str, *, actor: Actor) -> Project:
    """A project the actor may read; others' projects are reported as not found, not as forbidden."""
    project = fetch(store, project_id)
    if not can_read(actor, project.scope):
        raise NotFound("Project", project_id)
    return project


def _check_refs(tx: Any, data: dict[str, Any], *, now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, (_, label) in REFS.items():
        if data.get(name):
            errors.update(check_exists(tx, label, data[name], name))
    if data.get("district_id") and "district_id" not in errors:
        errors.update(check_district_current(tx, data["district_id"], "district_id", now=now))
    return errors


def insert(tx: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> str:
    """Write a validated project and its relationships; returns its id."""
    props = {k: data.get(k) for k in Project.__dataclass_fields__
             if k in data and k not in REFS and k not in ("id", "lead_id")}
    props.setdefault("kind", "new")
    props.setdefault("status", "active")
    props.setdefault("signed_on", local_today(now))
    props.update(stage="signed", stage_on=props["signed_on"])  # crm/projects/lifecycle.py moves it on
    props.setdefault("industry_category", "manufacturing" if props.get("manufacturing") else "other")
    for flag in FLAGS:
        props[flag] = bool(props.get(flag))
    if data.get("id"):
        props["id"] = data["id"]
    record = records.create(tx, "Project", props, actor=actor, now=now, prefix="proj",
                            links=[(rel, label, data.get(name)) for name, (rel, label) in REFS.items()])
    return record["id"]


def _checked(data: dict[str, Any], *, current: dict[str, Any], creating: bool, now: datetime,
             prefix: str = "") -> dict[str, Any]:
    """Input with the manufacturing flag and category reconciled, or ValidationFailed."""
    derived, errors = reconcile(current, data)
    merged = {**current, **derived}
    errors.update(validate(merged, creating=creating, categories=category_ids(), kinds=PROJECT_KINDS.values))
    errors.update(check_dates(derived, local_today(now)))
    if any(name in derived for name in ("signed_on", *PLANNED.values())):
        errors.update(check_plan(merged))
    if errors:
        raise ValidationFailed({f"{prefix}{k}": v for k, v in errors.items()},
                               "signing needs the project's details" if prefix else "invalid input")
    return derived


def create_project(store: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> Project:
    """Enter a project directly, typically a capital increase or reinvestment by a firm already here."""
    data = _checked(data, current={}, creating=True, now=now)

    def work(tx: Any) -> str:
        problems = _check_refs(tx, data, now=now)
        if problems:
            raise ValidationFailed(problems)
        require(can_write(actor, Scope(district=data["district_id"], chain=chain_of(tx, data.get("link_id")))),
                "create a project here")
        project_id = insert(tx, data, actor=actor, now=now)
        hooks.new_work(tx, [project_id], now=now)
        return project_id

    return fetch(store, store.transaction(work))


def create_project_for_lead(tx: Any, lead: SignedLead, data: dict[str, Any], *, actor: Actor, now: datetime) -> str:
    """Signing a lead: the project takes the lead's company, link, district and owner by default."""
    link = tx.run("MATCH (n:ChainNode {id: $id}) RETURN n.high_tech AS high_tech", {"id": lead.link_id})
    merged = {
        "name": lead.title, "company_id": lead.company_id, "district_id": lead.district_id,
        "link_id": lead.link_id, "owner_id": lead.owner_id, "contracted_fdi_usd": lead.expected_usd,
        "high_tech": bool(link and link[0]["high_tech"]), "synthetic": lead.synthetic,
        **{k: v for k, v in data.items() if v is not None},
    }
    merged = _checked(merged, current={}, creating=True, now=now, prefix="project.")
    project_id = insert(tx, merged, actor=actor, now=now)
    tx.run("MATCH (l:Lead {id: $lead}) MATCH (p:Project {id: $project}) CREATE (l)-[:BECAME]->(p) "
           "SET l.project_id = p.id",
           {"lead": lead.id, "project": project_id})
    return project_id


def update_project(store: Any, project_id: str, changes: dict[str, Any], *, actor: Actor, now: datetime,
                   expected_version: int | None) -> Project:
    """Edit a project's fields and references; `archived: true` archives it."""
    unknown = set(changes) - set(EDITABLE) - set(REFS)
    if unknown:
        raise ValidationFailed({k: ["cannot be changed here"] for k in sorted(unknown)})
    empty: dict[str, list[str]] = {k: ["cannot be empty"] for k in ("company_id", "district_id", "name")
             if k in changes and not (changes[k] or "").strip()}
    if empty:
        raise ValidationFailed(empty)
    project = get_project(store, project_id, actor=actor)
    require(can_write(actor, project.scope), "change this project")
    current = {k: getattr(project, k) for k in EDITABLE + tuple(REFS)}
    changes = _checked(changes, current=current, creating=False, now=now)

    def work(tx: Any) -> None:
        problems = _check_refs(tx, {k: v for k, v in changes.items() if k in REFS}, now=now)
        problems.update(_signed_after_capital(tx, project_id, changes.get("signed_on")))
        if problems:
            raise ValidationFailed(problems)
        chain = chain_of(tx, changes["link_id"]) if "link_id" in changes else project.chain_id
        require(can_write(actor, Scope(district=changes.get("district_id", project.district_id), chain=chain)),
                "move this project out of your scope")
        fields = {k: v for k, v in changes.items() if k in EDITABLE}
        ref_diff = {k: (getattr(project, k), v) for k, v in changes.items()
                    if k in REFS and getattr(project, k) != v}
        records.update(tx, "Project", project_id, fields, actor=actor, now=now,
                       expected_version=expected_version, extra_audit=ref_diff)
        for name in ref_diff:
            rel, label = REFS[name]
            records.relink(tx, rel, "Project", project_id, label, changes[name])

    store.transaction(work)
    return fetch(store, project_id)


def _signed_after_capital(tx: Any, project_id: str, signed_on: Any) -> dict[str, list[str]]:
    """Capital is paid into a signed project: a signing moved after a counted inflow is refused."""
    if not isinstance(signed_on, date):
        return {}
    rows = tx.run("MATCH (f:CapitalInflow)-[:PAID_INTO]->(p:Project {id: $id}) WHERE f.archived = false "
                  "AND f.received_on < $day RETURN min(f.received_on) AS first", {"id": project_id, "day": signed_on})
    first = rows[0]["first"] if rows else None
    if first is None:
        return {}
    return {"signed_on": [f"capital was paid in on {first.isoformat()}: the signing cannot be later"]}
