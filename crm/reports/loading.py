"""Everything a weekly report is computed from, read with a few aggregated queries into plain data.

The figures (crm/reports/figures.py and its neighbours) are pure functions of a `ReportData`, so
a test can build one by hand and a benchmark can time the store separately from the arithmetic.
Counts are aggregated in Cypher where rows would otherwise number in the tens of thousands
(stage history, overdue follow-ups); the week's own events (stage changes, signings) come as rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from crm.events import attribution, events
from crm.reports import followup_counts, kpis
from crm.base.access import SYSTEM
from crm.library.reference import successions, successors_on
from crm.projects import stalls
from crm.reports.kpis import FlowFact
from crm.reports.settings import ReportPolicy
from crm.reports.weeks import Week

_STAGE_TOTALS = (
    "MATCH (s:StageChange)-[:STAGE_OF]->(l:Lead) WHERE s.at < $until AND l.archived = false "
    "RETURN l.chain_id AS chain_id, l.district_id AS district_id, s.from_stage AS from_stage, "
    "s.to_stage AS to_stage, count(s) AS n, sum(CASE WHEN s.at < $before THEN 1 ELSE 0 END) AS n_before")
_CHANGES = (
    "MATCH (s:StageChange) WHERE s.at >= $since AND s.at < $until "
    "MATCH (s)-[:STAGE_OF]->(l:Lead) WHERE l.archived = false "
    "RETURN l.id AS lead_id, l.title AS title, l.chain_id AS chain_id, l.district_id AS district_id, "
    "l.owner_id AS owner_id, s.from_stage AS from_stage, s.to_stage AS to_stage, s.at AS at, s.reason AS reason")
_SIGNINGS = (
    "MATCH (p:Project) WHERE p.archived = false AND p.signed_on >= $first_day AND p.signed_on <= $last_day "
    "OPTIONAL MATCH (p)-[:IN_LINK]->(n:ChainNode) WITH p, n "
    "OPTIONAL MATCH (p)-[:LOCATED_IN]->(d:District) WITH p, n, d "
    "OPTIONAL MATCH (p)-[:INVESTED_BY]->(c:Company) "
    "RETURN p.id AS project_id, p.name AS name, p.kind AS kind, p.signed_on AS signed_on, "
    "p.contracted_fdi_usd AS contracted_fdi_usd, n.chain_id AS chain_id, n.id AS link_id, d.id AS district_id, "
    "c.name_zh AS company_name_zh, c.name_en AS company_name_en")
# Overdue at a week's end: due before it and not done (nor cancelled) by then; counted for the report
# week and the week before in one pass. By owner and by district apart: one join each is 3x faster on
# Ladybug than a row per follow-up joined to both.
_LATE = ("WHERE f.archived = false AND f.status <> 'cancelled' AND f.due_at < $until "
         "AND (f.done_at IS NULL OR f.done_at >= $since) ")
_LATE_SUMS = ("sum(CASE WHEN f.done_at IS NULL OR f.done_at >= $until THEN 1 ELSE 0 END) AS n_end, "
              "sum(CASE WHEN f.due_at < $since THEN 1 ELSE 0 END) AS n_before")
_OVERDUE_BY_OWNER = ("MATCH (f:FollowUp)-[:ASSIGNED_TO]->(u:User) " + _LATE + "RETURN u.id AS k, " + _LATE_SUMS,)
_OVERDUE_BY_DISTRICT = (
    "MATCH (f:FollowUp)-[:ABOUT]->(l:Lead) " + _LATE + "RETURN l.district_id AS k, " + _LATE_SUMS,
    "MATCH (f:FollowUp)-[:ABOUT]->(p:Project)-[:LOCATED_IN]->(d:District) " + _LATE + "RETURN d.id AS k, " + _LATE_SUMS)
_INCENTIVE_FLOWS = (
    "MATCH (f:CapitalInflow)-[:PAID_INTO]->(p:Project) WHERE f.archived = false AND p.archived = false "
    "AND f.received_on >= $first_day AND f.received_on <= $last_day "
    "RETURN p.id AS project_id, f.received_on AS received_on, f.amount_usd AS amount_usd, f.kind AS kind")
_INCENTIVE_PROJECTS = (
    "MATCH (f:CapitalInflow)-[:PAID_INTO]->(p:Project) WHERE f.archived = false AND p.archived = false "
    "AND f.received_on >= $first_day AND f.received_on <= $last_day WITH DISTINCT p "
    "RETURN p.id AS id UNION "
    "MATCH (p:Project) WHERE p.archived = false AND p.rd_centre = true "
    "AND p.rd_centre_recognised_on >= $first_day AND p.rd_centre_recognised_on <= $last_day RETURN p.id AS id")
_PROJECT_FLAGS = (
    "UNWIND $ids AS i MATCH (p:Project {id: i}) WITH p, i "
    "OPTIONAL MATCH (p)-[:LOCATED_IN]->(d:District) WITH p, i, d "
    "OPTIONAL MATCH (p)-[:IN_LINK]->(n:ChainNode) WITH p, i, d, n "
    "OPTIONAL MATCH (p)-[:INVESTED_BY]->(c:Company) "
    "RETURN p.id AS id, p.name AS name, p.kind AS kind, p.manufacturing AS manufacturing, "
    "p.industry_category AS industry_category, p.rd_centre AS rd_centre, "
    "p.capital_support_elsewhere AS capital_support_elsewhere, p.rd_support_elsewhere AS rd_support_elsewhere, "
    "p.rd_centre_recognised_on AS rd_centre_recognised_on, d.id AS district_id, n.chain_id AS chain_id, "
    "c.name_zh AS company_name_zh, c.name_en AS company_name_en")
# Every stretch a maker of a link was present, current (PRESENT_IN) or ended (WAS_PRESENT_IN, until its `until`).
_PRESENCES = ("MATCH (c:Company)-[m:MAKES]->(n:ChainNode) MATCH (c)-[r:PRESENT_IN|WAS_PRESENT_IN]->(:District) "
              "RETURN n.id AS link_id, r.since AS since, r.until AS until, m.since AS made_since, "
              "c.name_zh AS name_zh, c.name_en AS name_en, r.source_project AS source_project")
_OVERDUE_TASKS = ("UNWIND $ids AS i MATCH (e:Event {id: i}) WITH e, i MATCH (t:Task)-[:FOR_EVENT]->(e) "
                  "WHERE t.status = 'open' AND t.due_on < $today RETURN i AS id, count(t) AS n")


@dataclass
class Counts:
    """One count for the report week and the week before, keyed by owner or district id."""
    this: dict[str | None, int] = field(default_factory=dict)
    before: dict[str | None, int] = field(default_factory=dict)


@dataclass
class ReportData:
    week: Week
    generated_at: datetime
    stage_totals: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    signings: list[dict[str, Any]] = field(default_factory=list)
    flows: list[FlowFact] = field(default_factory=list)
    incentive_projects: list[dict[str, Any]] = field(default_factory=list)
    incentive_flows: list[dict[str, Any]] = field(default_factory=list)
    done_by_owner: Counts = field(default_factory=Counts)
    done_by_district: Counts = field(default_factory=Counts)
    visits_by_district: Counts = field(default_factory=Counts)
    pool_returns: Counts = field(default_factory=Counts)
    overdue_by_owner: Counts = field(default_factory=Counts)
    overdue_by_district: Counts = field(default_factory=Counts)
    districts: list[dict[str, Any]] = field(default_factory=list)
    chains: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    presences: list[dict[str, Any]] = field(default_factory=list)
    stalled: list[dict[str, Any]] = field(default_factory=list)
    upcoming: list[dict[str, Any]] = field(default_factory=list)
    attributed: list[dict[str, Any]] = field(default_factory=list)
    outlook: dict[str, Any] | None = None

    @property
    def year(self) -> int:
        return self.week.end.year


def _counts(fn: Any, week: Week, **kwargs: Any) -> Counts:
    return Counts(fn(**kwargs, start=week.start_at, end=week.end_at),
                  fn(**kwargs, start=week.previous.start_at, end=week.previous.end_at))


def _overdue(store: Any, week: Week, queries: tuple[str, ...]) -> Counts:
    """Follow-ups overdue at the end of the week (`this`) and of the week before, per key."""
    out = Counts()
    for query in queries:
        for row in store.read(query, {"since": week.start_at, "until": week.end_at}):
            out.this[row["k"]] = out.this.get(row["k"], 0) + (row["n_end"] or 0)
            out.before[row["k"]] = out.before.get(row["k"], 0) + (row["n_before"] or 0)
    return out


def _events(store: Any, week: Week, settings: ReportPolicy) -> list[dict[str, Any]]:
    """Events starting in the weeks after the report week, with their checklist as it stands; a task
    is overdue when still open and due before the Monday after the week."""
    first = week.end + timedelta(days=1)
    query = events.EventQuery(start_from=first, start_to=week.end + timedelta(weeks=settings.upcoming_event_weeks),
                              page_size=200)
    found = events.list_events(store, query, actor=SYSTEM).items
    late: dict[str, int] = {}
    if found:  # an empty UNWIND list fails to bind on Ladybug
        late = {r["id"]: r["n"] for r in store.read(_OVERDUE_TASKS, {"ids": [e.id for e in found], "today": first})}
    return [{"id": e.id, "name_zh": e.name_zh, "name_en": e.name_en, "kind": e.kind, "status": e.status,
             "start_on": e.start_on, "end_on": e.end_on, "city_zh": e.city_zh, "city_en": e.city_en,
             "owner_name": e.owner_name, "tasks_open": e.tasks_open, "tasks_done": e.tasks_done,
             "tasks_overdue": late.get(e.id, 0), "targets": e.targets} for e in found]


def _incentives(store: Any, first_day: date, last_day: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    days = {"first_day": first_day, "last_day": last_day}
    ids = sorted({r["id"] for r in store.read(_INCENTIVE_PROJECTS, days)})
    projects = store.read(_PROJECT_FLAGS, {"ids": ids}) if ids else []
    return projects, store.read(_INCENTIVE_FLOWS, days)


def _by_successor(counts: Counts, later: dict[str, str]) -> Counts:
    out = Counts()
    for mine, theirs in ((out.this, counts.this), (out.before, counts.before)):
        for key, n in theirs.items():
            key = later.get(key, key) if key else key
            mine[key] = mine.get(key, 0) + n
    return out


def follow_successions(data: ReportData, later: dict[str, str]) -> None:
    """Records on a division abolished by the week's end count for its successor; a week before the
    abolition keeps the old division (a 2023 signing in 渝北区 reads 渝北区, one of 2026 两江新区)."""
    if not later:
        return
    for rows in (data.stage_totals, data.changes, data.signings, data.incentive_projects, data.stalled):
        for row in rows:
            if row.get("district_id") in later:
                row["district_id"] = later[row["district_id"]]
    data.flows = [replace(f, district_id=later[f.district_id]) if f.district_id in later else f for f in data.flows]
    data.done_by_district = _by_successor(data.done_by_district, later)
    data.visits_by_district = _by_successor(data.visits_by_district, later)
    data.overdue_by_district = _by_successor(data.overdue_by_district, later)


def load(store: Any, week: Week, *, settings: ReportPolicy, now: datetime,
         outlook: dict[str, Any] | None = None) -> ReportData:
    """Read what the week's report needs; `outlook` is the scoring part (crm/reports/outlook.py)."""
    before = week.previous
    data = ReportData(week=week, generated_at=now, outlook=outlook)
    data.stage_totals = store.read(_STAGE_TOTALS, {"until": week.end_at, "before": before.end_at})
    data.changes = store.read(_CHANGES, {"since": before.start_at, "until": week.end_at})
    data.signings = store.read(_SIGNINGS, {"first_day": before.start, "last_day": week.end})
    data.flows = kpis.load_facts(store, date(data.year - 1, 1, 1), week.end)
    data.incentive_projects, data.incentive_flows = _incentives(store, date(data.year, 1, 1), week.end)
    data.done_by_owner = _counts(followup_counts.done_by_owner, week, store=store)
    data.done_by_district = _counts(followup_counts.done_by_district, week, store=store)
    data.visits_by_district = _counts(followup_counts.done_by_district, week, store=store,
                                      kinds=list(settings.index.visit_kinds))
    data.pool_returns = _counts(followup_counts.returned_to_pool, week, store=store)
    data.overdue_by_owner = _overdue(store, week, _OVERDUE_BY_OWNER)
    data.overdue_by_district = _overdue(store, week, _OVERDUE_BY_DISTRICT)
    data.districts = store.read("MATCH (d:District) RETURN d.id AS id, d.name_zh AS name_zh, d.name_en AS name_en, "
                                "d.kind AS kind, d.valid_from AS valid_from, d.valid_to AS valid_to")
    data.chains = store.read("MATCH (c:Chain) RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en")
    data.links = store.read("MATCH (n:ChainNode) RETURN n.id AS id, n.chain_id AS chain_id, n.name_zh AS name_zh, "
                            "n.name_en AS name_en")
    data.users = store.read("MATCH (u:User) RETURN u.id AS id, u.username AS username, u.display_name AS name")
    data.presences = store.read(_PRESENCES)
    data.stalled = [{"project_id": p.id, "name": p.name, "stage": p.stage, "chain_id": p.chain_id,
                     "district_id": p.district_id, "owner_id": p.owner_id,
                     "reasons": [{"code": s.code, "since": s.since, "zh": s.zh, "en": s.en} for s in p.stalls]}
                    for p in stalls.stalled_projects(store, day=week.end)]
    data.upcoming = _events(store, week, settings)
    data.attributed = [vars(a) for a in attribution.event_attribution(
        store, start_from=date(data.year, 1, 1), start_to=week.end, through=week.end)]
    follow_successions(data, successors_on(successions(store), week.end))
    return data
