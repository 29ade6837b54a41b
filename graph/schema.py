"""The one schema declaration: every node label and relationship type of ChainLead's graph.

Both engines render their DDL from `SCHEMA`, and the write helpers check properties against it,
so a property exists here or nowhere. Every node is keyed by a string `id`.
Property specs are written compactly as "name:TYPE" (TYPE defaults to STRING; a trailing "!"
asks Neo4j for an index on it, since Ladybug indexes only the key).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from graph.errors import SchemaError

# Bump when stored data must change with the code, and add the step to graph/migrations.py.
# 2: leads carry mirrored ids of their relationships (company_id, link_id, district_id, owner_id).
# 3: a signed lead carries its project's id (project_id, mirrored from BECAME).
# 4: secret values (password hashes, token digests) are masked in the audit trail kept so far.
SCHEMA_VERSION = 4

TYPES = ("STRING", "INT64", "DOUBLE", "BOOL", "DATE", "TIMESTAMP", "STRING[]")


@dataclass(frozen=True)
class Prop:
    name: str
    type: str = "STRING"
    indexed: bool = False


@dataclass(frozen=True)
class NodeType:
    label: str
    props: tuple[Prop, ...]
    doc: str = ""
    key: str = "id"

    def prop(self, name: str) -> Prop:
        for p in self.props:
            if p.name == name:
                return p
        raise SchemaError(f"{self.label} has no property {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


@dataclass(frozen=True)
class RelType:
    """`mirror` names a property of the start node that keeps the end node's id, so lists can
    filter and sort on the start node alone (Ladybug joins 20k rows slowly); the write helpers
    keep it in step with the relationship."""
    type: str
    ends: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = ()
    doc: str = ""
    mirror: str | None = None

    def prop(self, name: str) -> Prop:
        for p in self.props:
            if p.name == name:
                return p
        raise SchemaError(f"relationship {self.type} has no property {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


def props(spec: str) -> tuple[Prop, ...]:
    """Parse "id name_zh position:INT64 stage!" into Prop tuples."""
    out = []
    for token in spec.split():
        name, _, kind = token.partition(":")
        indexed = name.endswith("!") or kind.endswith("!")
        name, kind = name.rstrip("!"), (kind.rstrip("!") or "STRING")
        if kind not in TYPES:
            raise SchemaError(f"unknown type {kind} for {name}")
        out.append(Prop(name, kind, indexed))
    return tuple(out)


# Fields every CRM record carries: audit times, optimistic-concurrency version, soft delete,
# and the label that marks generated demo data.
RECORD = "created_at:TIMESTAMP updated_at:TIMESTAMP version:INT64 archived:BOOL synthetic:BOOL"


def node(label: str, spec: str, doc: str = "", record: bool = False, indexed: str = "") -> NodeType:
    """`indexed` names properties (such as the record fields) that this label alone asks an index for."""
    wanted = set(indexed.split())
    parsed = props("id " + spec + (" " + RECORD if record else ""))
    unknown = wanted - {p.name for p in parsed}
    if unknown:
        raise SchemaError(f"{label} cannot index what it does not have: {sorted(unknown)}")
    return NodeType(label, tuple(Prop(p.name, p.type, p.indexed or p.name in wanted) for p in parsed), doc)


def rel(type_: str, ends: str, spec: str = "", doc: str = "", mirror: str | None = None) -> RelType:
    pairs = tuple(tuple(pair.split(">")) for pair in ends.split())
    return RelType(type_, pairs, props(spec), doc, mirror)  # type: ignore[arg-type]


NODES: tuple[NodeType, ...] = (
    node("Meta", "schema_version:INT64 updated_at:TIMESTAMP", "Store-wide facts such as the schema version."),
    node("Chain", "name_zh name_en cluster_zh tier", "An industrial chain of the 33618 system.", record=True),
    node("ChainNode",
         "chain_id! name_zh name_en segment position:INT64 high_tech:BOOL in_focus:BOOL",
         "A link (环节) of a chain.", record=True),
    node("Company",
         "name_zh name_en name_norm! aliases:STRING[] country fg500_rank:INT64 fg500_year:INT64 fg500_unknown:BOOL "
         "industry multinational:BOOL leading:BOOL revenue_usd_m:DOUBLE employees:INT64 source source_date:DATE "
         "fg500_source",
         "A firm anywhere in the world; local when PRESENT_IN a district. `source_date` dates the row's source "
         "(published or checked); `fg500_source` says where the rank of `fg500_year`'s list was read.", record=True),
    node("District",
         "name_zh name_en kind lat:DOUBLE lon:DOUBLE valid_from:DATE valid_to:DATE",
         "A district-level division of Chongqing or a management zone; id is the 6-digit code."),
    node("User",
         "username! display_name role email locale active:BOOL password_hash "
         "failed_logins:INT64 locked_until:TIMESTAMP last_login_at:TIMESTAMP",
         "Someone who logs in.", record=True),
    node("ApiToken", "name token_hash! created_at:TIMESTAMP last_used_at:TIMESTAMP revoked:BOOL",
         "A personal API token, stored hashed."),
    node("GapChange", "link_id! kind day:DATE project_id company_id district_id",
         "A dated change of a chain link's local cover: closed by a landing project, or reopened.", record=True),
    node("ImportRun", "kind file started_at:TIMESTAMP updated_at:TIMESTAMP done:INT64 total:INT64 status host "
         "pid:INT64", "One import that writes, from its first write to its last: an interrupted one shows."),
    node("Session", "user_id! created_at:TIMESTAMP expires_at:TIMESTAMP ended_at:TIMESTAMP",
         "A logged-in browser; its id is the digest of the secret the cookie carries. Ending it logs that "
         "cookie out on the server."),
    node("Contact", "name title email phone notes", "A person at a company.", record=True),
    node("Lead",
         "title! stage! priority! expected_usd:INT64! source! drop_reason dropped_from score:DOUBLE! score_factors "
         "stage_changed_at:TIMESTAMP! pooled_at:TIMESTAMP last_followup_at:TIMESTAMP! assigned_at:TIMESTAMP "
         "company_id! link_id! chain_id! district_id! owner_id! event_id! project_id search_text",
         "A company the bureau pursues for a chain link (indexed: what its lists filter and sort on).",
         record=True, indexed="created_at updated_at archived"),
    node("StageChange", "from_stage to_stage at:TIMESTAMP actor reason",
         "One move of a lead through the pipeline."),
    node("Project",
         "name kind signed_on:DATE total_investment_usd:INT64 contracted_fdi_usd:INT64 "
         "manufacturing:BOOL industry_category high_tech:BOOL high_tech_services:BOOL "
         "rd_centre:BOOL rd_centre_recognised_on:DATE regional_hq:BOOL status "
         "capital_support_elsewhere rd_support_elsewhere stage stage_on:DATE landed_on:DATE "
         "registered_planned_on:DATE registered_on:DATE started_planned_on:DATE started_on:DATE "
         "producing_planned_on:DATE producing_on:DATE full_production_planned_on:DATE full_production_on:DATE "
         "withdrawn_on:DATE",
         "A signed investment (a lead that became a project).", record=True),
    node("CapitalInflow", "received_on:DATE amount_usd:INT64 kind", "Paid-in foreign capital.", record=True),
    node("FollowUp",
         "kind title due_at:TIMESTAMP! done_at:TIMESTAMP status! outcome notes escalated_at:TIMESTAMP "
         "reminded_at:TIMESTAMP overdue_notified_at:TIMESTAMP next_id previous_id",
         "A call, visit or meeting about a lead or project.", record=True),
    node("EventSeries", "name_zh name_en kind usual_month:INT64 city_zh city_en country url",
         "A recurring promotion event (CIIE, 投洽会 …)."),
    node("Event",
         "series_id name_zh name_en kind start_on:DATE end_on:DATE city_zh city_en country status outcome",
         "A dated promotion event or roadshow.", record=True),
    node("Task", "title template_key due_on:DATE status! done_at:TIMESTAMP notes reminded_at:TIMESTAMP "
         "overdue_notified_at:TIMESTAMP", "A to-do, often for an event.",
         record=True),
    node("Issue", "category title description status opened_on:DATE resolved_on:DATE",
         "A problem or complaint a firm raises after signing (任务 15).", record=True),
    node("RiskSignal", "kind signal_on:DATE note source district_id",
         "A dated exit-risk fact staff record on a present firm (parent closure, lease or incentive end).",
         record=True),
    node("RiskStreak", "above_since:DATE",
         "Since when a present firm's exit-risk score has stood at or above policy escalate_at; id is the firm's."),
    node("Note", "body", "A free-text note on any record: append-only, its author may archive it.",
         record=True),
    node("Notification", "kind title body link created_at:TIMESTAMP read_at:TIMESTAMP record_label record_id "
         "emailed_at:TIMESTAMP",
         "An inbox item for one user."),
    node("Report", "week week_start:DATE generated_at:TIMESTAMP figures generated_by synthetic:BOOL",
         "A stored weekly report: its figures as JSON, frozen when generated (crm/reports)."),
    node("ResilienceSnapshot",
         "chain_id week day:DATE resilience:DOUBLE coverage:DOUBLE single_source:DOUBLE depth:DOUBLE "
         "outside:DOUBLE links:INT64 states computed_at:TIMESTAMP synthetic:BOOL",
         "A chain's (or the city's: chain_id 'city') resilience index at a week's end, kept for the trend."),
    node("AuditEntry", "at:TIMESTAMP actor action record_label record_id! changes",
         "Who changed what, when."),
    node("JobLock", "holder until:TIMESTAMP last_run_at:TIMESTAMP version:INT64 last_status last_error "
         "last_finished_at:TIMESTAMP last_count:INT64",
         "A lease so only one scheduler runs a job."),
    node("AssignmentRule", "chain_id district_id position:INT64 note",
         "Places a new lead that has no owner with a user, by chain and/or district (公海池).", record=True),
)

RELS: tuple[RelType, ...] = (
    rel("PART_OF", "ChainNode>Chain"),
    rel("FEEDS", "ChainNode>ChainNode", doc="Upstream link supplies the downstream link."),
    rel("MAKES", "Company>ChainNode", "source sources:STRING[] source_date:DATE since:DATE source_project",
        doc="`source` is the first citation, `sources` every import's, `source_date` the newest one's day."),
    rel("PRESENT_IN", "Company>District", "since:DATE entity_name source sources:STRING[] source_date:DATE "
        "source_project", doc="Provenance as on MAKES."),
    rel("WAS_PRESENT_IN", "Company>District", "since:DATE until:DATE end_reason entity_name source sources:STRING[] "
        "source_date:DATE source_project",
        doc="A presence that ended (exit, relocation, shutdown, sale); `until` is its first day gone."),
    rel("SUPPLIES", "Company>Company"),
    rel("SUBSIDIARY_OF", "Company>Company"),
    rel("FOCUSES_ON", "District>Chain Event>Chain"),
    rel("SPANS", "District>District", doc="A management zone covers (part of) a division."),
    rel("SUCCEEDED_BY", "District>District", "effective_on:DATE"),
    rel("LEADS_CHAIN", "User>Chain"),
    rel("BELONGS_TO", "User>District"),
    rel("TOKEN_OF", "ApiToken>User"),
    rel("WORKS_AT", "Contact>Company"),
    rel("TARGETS", "Lead>Company", mirror="company_id"),
    rel("FILLS", "Lead>ChainNode", mirror="link_id"),
    rel("LANDS_IN", "Lead>District", mirror="district_id"),
    rel("OWNED_BY", "Lead>User Event>User Project>User", mirror="owner_id"),
    rel("SOURCED_AT", "Lead>Event", mirror="event_id"),
    rel("BECAME", "Lead>Project", mirror="project_id"),
    rel("STAGE_OF", "StageChange>Lead"),
    rel("LOCATED_IN", "Project>District"),
    rel("INVESTED_BY", "Project>Company"),
    rel("IN_LINK", "Project>ChainNode"),
    rel("PAID_INTO", "CapitalInflow>Project"),
    rel("NOTIFIES", "Notification>User"),
    rel("ABOUT", "FollowUp>Lead FollowUp>Project Issue>Project"),
    rel("ASSIGNED_TO", "FollowUp>User Task>User Issue>User"),
    rel("HELD_AT", "FollowUp>Event"),
    rel("EDITION_OF", "Event>EventSeries"),
    rel("INVITES", "Event>Company", "status score:DOUBLE updated_at:TIMESTAMP"),
    rel("FOR_EVENT", "Task>Event"),
    rel("ASSIGNS_TO", "AssignmentRule>User"),
    rel("RAISED_BY", "Issue>Company"),
    rel("FLAGS", "RiskSignal>Company"),
    rel("ATTACHED_TO", "Note>Lead Note>Project Note>Company Note>Event Note>Issue Note>Contact"),
    rel("WRITTEN_BY", "Note>User"),
)


class Schema:
    """Lookup and validation over the declared labels and relationship types."""

    def __init__(self, nodes: Iterable[NodeType], rels: Iterable[RelType], version: int):
        self.nodes = {n.label: n for n in nodes}
        self.rels = {r.type: r for r in rels}
        self.version = version
        for r in self.rels.values():
            for a, b in r.ends:
                if a not in self.nodes or b not in self.nodes:
                    raise SchemaError(f"{r.type} joins an undeclared label ({a}->{b})")

    def node(self, label: str) -> NodeType:
        try:
            return self.nodes[label]
        except KeyError:
            raise SchemaError(f"unknown label {label!r}") from None

    def rel(self, type_: str) -> RelType:
        try:
            return self.rels[type_]
        except KeyError:
            raise SchemaError(f"unknown relationship type {type_!r}") from None

    def check_node(self, label: str, values: dict[str, Any]) -> None:
        nt = self.node(label)
        for name, value in values.items():
            check_value(nt.prop(name), value, label)

    def mirror(self, type_: str, start: str) -> str | None:
        """The start label's property that mirrors this relationship's end id, if it has one."""
        rt = self.rel(type_)
        return rt.mirror if rt.mirror and rt.mirror in self.node(start).names else None

    def check_rel(self, type_: str, start: str, end: str, values: dict[str, Any]) -> None:
        rt = self.rel(type_)
        if (start, end) not in rt.ends:
            raise SchemaError(f"{type_} does not join {start} to {end}")
        for name, value in values.items():
            check_value(rt.prop(name), value, type_)


_PY_TYPES: dict[str, tuple[type, ...]] = {
    "STRING": (str,),
    "INT64": (int,),
    "DOUBLE": (float, int),
    "BOOL": (bool,),
    "DATE": (date,),
    "TIMESTAMP": (datetime,),
    "STRING[]": (list, tuple),
}


def check_value(prop: Prop, value: Any, owner: str) -> None:
    """Refuse a value whose Python type does not fit the declared property type."""
    if value is None:
        return
    ok = isinstance(value, _PY_TYPES[prop.type])
    if prop.type in ("INT64", "DOUBLE") and isinstance(value, bool):
        ok = False
    if prop.type == "DATE" and isinstance(value, datetime):
        ok = False
    if prop.type == "INT64" and ok and not -(2**63) <= value < 2**63:
        raise SchemaError(f"{owner}.{prop.name}: {value} does not fit in 64 bits")
    if prop.type == "STRING[]" and ok and not all(isinstance(v, str) for v in value):
        ok = False
    if not ok:
        raise SchemaError(f"{owner}.{prop.name} expects {prop.type}, got {type(value).__name__}")


SCHEMA = Schema(NODES, RELS, SCHEMA_VERSION)
