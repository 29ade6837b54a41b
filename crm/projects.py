"""Projects: signed investments (重点项目库), each with its investor, district, link and flags.

A project usually comes from signing a lead; a capital increase or reinvestment by a firm
already here may be entered directly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from crm import records
from crm.access import Actor, Scope
from crm.choices import PROJECT_KINDS
from crm.clock import local_today
from crm.errors import NotFound, ValidationFailed
from crm.policy import section

if TYPE_CHECKING:
    from crm.leads import Lead

REFS = {
    "company_id": ("INVESTED_BY", "Company"),
    "district_id": ("LOCATED_IN", "District"),
    "link_id": ("IN_LINK", "ChainNode"),
    "owner_id": ("OWNED_BY", "User"),
}
FLAGS = ("manufacturing", "high_tech", "high_tech_services", "rd_centre", "regional_hq")

_MATCH = (
    "MATCH (p:Project)-[:INVESTED_BY]->(c:Company) MATCH (p)-[:LOCATED_IN]->(d:District) "
    "OPTIONAL MATCH (p)-[:IN_LINK]->(n:ChainNode) WITH p, c, d, n ")
_RETURN = (
    "OPTIONAL MATCH (p)-[:OWNED_BY]->(u:User) OPTIONAL MATCH (l:Lead)-[:BECAME]->(p) "
    "RETURN p AS project, c.id AS company_id, c.name_zh AS company_name_zh, c.name_en AS company_name_en, "
    "d.id AS district_id, d.name_zh AS district_name_zh, d.name_en AS district_name_en, "
    "n.id AS link_id, n.name_zh AS link_name_zh, n.chain_id AS chain_id, u.id AS owner_id, "
    "u.display_name AS owner_name, l.id AS lead_id")


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

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Project":
        node = row["project"]
        fields = {k: v for k, v in node.items() if k in cls.__dataclass_fields__ and v is not None}
        fields.update({k: v for k, v in row.items() if k != "project"})
        for flag in FLAGS + ("archived", "synthetic"):
            fields[flag] = bool(node.get(flag))
        return cls(**fields)


def category_ids() -> list[str]:
    return [c["id"] for c in section("industry_categories")]


def validate(data: dict[str, Any], *, creating: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if creating:
        for name in ("company_id", "district_id"):
            if not data.get(name):
                errors[name] = ["required"]
        if not (data.get("name") or "").strip():
            errors["name"] = ["required"]
    if data.get("kind") is not None and data["kind"] not in PROJECT_KINDS:
        errors["kind"] = [f"must be one of {', '.join(PROJECT_KINDS.values)}"]
    if data.get("industry_category") is not None and data["industry_category"] not in category_ids():
        errors["industry_category"] = [f"must be one of {', '.join(category_ids())}"]
    for name in ("total_investment_usd", "contracted_fdi_usd"):
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            errors[name] = ["must be a whole number of US dollars, 0 or more"]
    if data.get("rd_centre_recognised_on") and not data.get("rd_centre", True):
        errors["rd_centre_recognised_on"] = ["only an R&D centre can be recognised as one"]
    return errors


def fetch(reader: Any, project_id: str) -> Project:
    run = reader.run if hasattr(reader, "run") else reader.read
    rows = run(_MATCH + "WHERE p.id = $id " + _RETURN, {"id": project_id})
    if not rows:
        raise NotFound("Project", project_id)
    return Project.from_row(rows[0])


def insert(tx: Any, data: dict[str, Any], *, actor: Actor, now: datetime) -> str:
    """Write a validated project and its relationships; returns its id."""
    props = {k: data.get(k) for k in Project.__dataclass_fields__
             if k in data and k not in REFS and k not in ("id", "lead_id")}
    props.setdefault("kind", "new")
    props.setdefault("status", "active")
    props.setdefault("signed_on", local_today(now))
    props.setdefault("industry_category", "manufacturing" if props.get("manufacturing") else "other")
    for flag in FLAGS:
        props[flag] = bool(props.get(flag))
    if data.get("id"):
        props["id"] = data["id"]
    record = records.create(tx, "Project", props, actor=actor, now=now, prefix="proj")
    for name, (rel, label) in REFS.items():
        if data.get(name):
            records.relink(tx, rel, "Project", record["id"], label, data[name])
    return record["id"]


def create_project_for_lead(tx: Any, lead: "Lead", data: dict[str, Any], *, actor: Actor, now: datetime) -> str:
    """Signing a lead: the project takes the lead's company, link, district and owner by default."""
    link = tx.run("MATCH (n:ChainNode {id: $id}) RETURN n.high_tech AS high_tech", {"id": lead.link_id})
    merged = {
        "name": lead.title, "company_id": lead.company_id, "district_id": lead.district_id,
        "link_id": lead.link_id, "owner_id": lead.owner_id, "contracted_fdi_usd": lead.expected_usd,
        "high_tech": bool(link and link[0]["high_tech"]), "synthetic": lead.synthetic,
        **{k: v for k, v in data.items() if v is not None},
    }
    errors = validate(merged, creating=True)
    if errors:
        raise ValidationFailed({f"project.{k}": v for k, v in errors.items()},
                               "signing needs the project's details")
    project_id = insert(tx, merged, actor=actor, now=now)
    tx.run("MATCH (l:Lead {id: $lead}) MATCH (p:Project {id: $project}) CREATE (l)-[:BECAME]->(p)",
           {"lead": lead.id, "project": project_id})
    return project_id
