"""When a project counts as stalled (四（四） 监测预警), by three rules of policy `projects.stall`, each
with its reason, judged as the project stood on a given day so a past week's report lists what was
stalled then:

- slow_registration: still at 签约 more than `register_within_working_days` working days after signing;
- behind_plan: a stage not reached `plan_grace_working_days` working days after its planned day;
- capital_behind: `capital_after_days` after signing, less than `capital_min_share` of the contracted
  FDI paid in (the plan's target measure).

A withdrawn project is never stalled. Each stall carries the first day it held (`since`), so a notice
names one occasion and a later deadline is a new one. The daily job tells the owner and the chain's
leaders once per occasion.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from crm.base.clock import local_today
from crm.base.notices import Notice, notify
from crm.base.workdays import add_working_days
from crm.choices import PROJECT_STAGES
from crm.errors import ValidationFailed
from crm.policy import section
from crm.projects.projects import Project
from crm.projects.rules import LATER_STAGES, PLANNED, REACHED

ORDER = ("signed", *LATER_STAGES)


@dataclass(frozen=True)
class StallPolicy:
    register_within_working_days: int
    plan_grace_working_days: int
    capital_after_days: int
    capital_min_share: float

    @classmethod
    def load(cls, policy: dict[str, Any] | None = None) -> "StallPolicy":
        raw = section("projects", policy).get("stall") or {}
        errors: dict[str, list[str]] = {}
        for name in ("register_within_working_days", "plan_grace_working_days", "capital_after_days"):
            value = raw.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors[f"projects.stall.{name}"] = ["a whole number of days, 0 or more"]
        share = raw.get("capital_min_share")
        if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 <= share <= 1:
            errors["projects.stall.capital_min_share"] = ["a share from 0 to 1"]
        if errors:
            raise ValidationFailed(errors, "the policy's stall rules are not valid")
        return cls(raw["register_within_working_days"], raw["plan_grace_working_days"], raw["capital_after_days"],
                   float(share or 0))


@dataclass(frozen=True)
class Stall:
    code: str
    since: date
    zh: str
    en: str
    stage: str | None = None

    @property
    def key(self) -> str:
        """The occasion: the rule, the stage it is about, and the day it began."""
        return f"{self.code}:{self.stage or '-'}:{self.since.isoformat()}"


def stage_on(project: Any, day: date) -> str | None:
    """The project's stage at the end of `day` from its dated stages (None: not signed yet). A project
    moved before these days were kept has only its current stage and the day it began."""
    signed = project.signed_on
    if signed is None or day < signed:
        return None
    current_since = project.stage_on
    withdrawn = project.withdrawn_on or (current_since if project.stage == "withdrawn" else None)
    if withdrawn is not None and withdrawn <= day:
        return "withdrawn"
    reached = "signed"
    for stage in LATER_STAGES:
        at = getattr(project, REACHED[stage]) or (current_since if project.stage == stage else None)
        if at is not None and at <= day:
            reached = stage
    return reached


def stalls(project: Any, *, paid_in_usd: int, day: date, policy: StallPolicy) -> list[Stall]:
    """Why the project is stalled at the end of `day` (empty: it is not), in rule order."""
    stage = stage_on(project, day)
    if stage is None or stage == "withdrawn":
        return []
    signed, out = project.signed_on, []
    days = policy.register_within_working_days
    deadline = add_working_days(signed, days)
    if stage == "signed" and day > deadline:
        out.append(Stall("slow_registration", deadline + timedelta(days=1),
                         f"签约（{signed.isoformat()}）后 {days} 个工作日仍未注册",
                         f"not registered {days} working days after signing ({signed.isoformat()})", "registered"))
    for later in ORDER[ORDER.index(stage) + 1:]:
        planned = getattr(project, PLANNED[later])
        if planned is None:
            continue
        late = add_working_days(planned, policy.plan_grace_working_days)
        if day > late:
            label = PROJECT_STAGES[later]
            out.append(Stall("behind_plan", late + timedelta(days=1),
                             f"计划 {planned.isoformat()} {label.zh}，至今未{label.zh}",
                             f"planned to reach “{label.en}” by {planned.isoformat()}, not reached", later))
    contracted = project.contracted_fdi_usd or 0
    due = signed + timedelta(days=policy.capital_after_days)
    if contracted and day > due and paid_in_usd < policy.capital_min_share * contracted:
        share = f"{policy.capital_min_share:.0%}"
        out.append(Stall("capital_behind", due + timedelta(days=1),
                         f"签约 {policy.capital_after_days} 天后到位外资 {paid_in_usd:,} 美元，"
                         f"不足合同外资 {contracted:,} 美元的 {share}",
                         f"{policy.capital_after_days} days after signing USD {paid_in_usd:,} paid in, "
                         f"less than {share} of the contracted USD {contracted:,}"))
    return out


@dataclass(frozen=True)
class StalledProject:
    id: str
    name: str
    stage: str
    chain_id: str | None
    district_id: str | None
    owner_id: str | None
    stalls: tuple[Stall, ...]


_PROJECTS = (
    "MATCH (p:Project)-[:INVESTED_BY]->(c:Company) MATCH (p)-[:LOCATED_IN]->(d:District) "
    "WHERE p.archived = false AND p.signed_on <= $day "
    "OPTIONAL MATCH (p)-[:IN_LINK]->(n:ChainNode) WITH p, c, d, n "
    "OPTIONAL MATCH (p)-[:OWNED_BY]->(u:User) "
    "RETURN p AS project, c.id AS company_id, d.id AS district_id, n.chain_id AS chain_id, u.id AS owner_id")
_PAID_IN = (
    "MATCH (f:CapitalInflow)-[:PAID_INTO]->(p:Project) WHERE f.archived = false AND p.archived = false {one}"
    "AND f.kind IN $kinds AND f.received_on <= $day RETURN p.id AS id, sum(f.amount_usd) AS paid")
_LEADERS = "MATCH (u:User)-[:LEADS_CHAIN]->(c:Chain) WHERE u.active = true RETURN c.id AS chain, u.id AS id"


def paid_kinds(policy: dict[str, Any] | None = None) -> list[str]:
    """The inflow kinds the plan's target measure counts (loans excluded under the FDI measure)."""
    measures = section("fdi_measures", policy)
    return list(measures[measures["target_measure"]]["kinds"])


def paid_in(store: Any, *, day: date, policy: dict[str, Any] | None = None,
            project_id: str | None = None) -> dict[str, int]:
    """{project: FDI paid in by the end of `day`} under the target measure, for every project or one."""
    one = "" if project_id is None else "AND p.id = $id "
    rows = store.read(_PAID_IN.format(one=one), {"kinds": paid_kinds(policy), "day": day, "id": project_id})
    return {r["id"]: int(r["paid"] or 0) for r in rows}


def stalled_projects(store: Any, *, day: date, policy: dict[str, Any] | None = None) -> list[StalledProject]:
    """Every project stalled at the end of `day`, by id, each with its reasons."""
    rules = StallPolicy.load(policy)
    paid = paid_in(store, day=day, policy=policy)
    out = []
    for row in store.read(_PROJECTS, {"day": day}):
        project = Project.from_row(row)
        found = stalls(project, paid_in_usd=paid.get(project.id, 0), day=day, policy=rules)
        if found:
            out.append(StalledProject(project.id, project.name, stage_on(project, day) or "signed",
                                      project.chain_id, project.district_id, project.owner_id, tuple(found)))
    return sorted(out, key=lambda s: s.id)


def stalls_of(store: Any, project: Project, *, day: date, policy: dict[str, Any] | None = None) -> list[Stall]:
    """One project's stalls at the end of `day` (its page and the API)."""
    if project.archived:
        return []
    paid = paid_in(store, day=day, policy=policy, project_id=project.id).get(project.id, 0)
    return stalls(project, paid_in_usd=paid, day=day, policy=StallPolicy.load(policy))


def notify_stalled(store: Any, *, now: datetime, policy: dict[str, Any] | None = None) -> int:
    """Daily: tell each stalled project's owner and its chain's leaders, once per stall; returns notices posted."""
    found = stalled_projects(store, day=local_today(now), policy=policy)
    leaders: dict[str, set[str]] = {}
    for r in store.read(_LEADERS) if found else []:
        leaders.setdefault(r["chain"], set()).add(r["id"])
    notices = []
    for project in found:
        told = sorted(({project.owner_id} if project.owner_id else set()) | leaders.get(project.chain_id or "", set()))
        for stall in project.stalls:
            notices += [Notice(f"stall:{project.id}:{stall.key}", user, "project_stalled",
                               (f"项目停滞预警：{project.name}", f"Project stalled: {project.name}"),
                               (stall.zh, stall.en), f"/projects/{project.id}", "Project", project.id)
                        for user in told]
    return notify(store, notices, now=now) if notices else 0
