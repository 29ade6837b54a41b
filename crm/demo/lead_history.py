"""The demo pipeline: leads from the ranked gaps, moved stage by stage over two years.

Each lead's history goes through the real services with past timestamps: it opens with a
follow-up, every stage move is preceded by completing the open follow-up (which schedules the
next by the cadence), drops carry a reason, and signings become projects with paid-in capital.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any, Callable

from crm.demo import landings
from crm.followups import completion, followups
from crm.pipeline import leads
from crm.projects import inflows, projects
from crm.pipeline.stages import ORDER
from crm.base.access import SYSTEM, Actor
from crm.base.clock import local_today
from crm.errors import DomainError
from crm.people.users import User

CandidateSource = Callable[..., list[dict[str, Any]]]

FINAL_STAGES = (("identified", 14), ("contacted", 15), ("visited", 13), ("negotiating", 12), ("signed", 30),
                ("dropped", 16))
DROP_REASONS = ("企业全球投资计划调整，暂缓在华新增产能（合成）", "已选择其他省市落地（合成）",
                "用地与能耗指标未能匹配企业时间表（合成）", "企业并购后战略调整（合成）")
OUTCOMES = ("已电话沟通，企业对重庆产业配套感兴趣（合成）", "已发送产业链招商资料和政策清单（合成）",
            "视频连线企业亚太区负责人，约定实地考察（合成）", "陪同企业考察园区与配套企业（合成）",
            "就用地、厂房和人才政策进行洽谈（合成）")
NON_MANUFACTURING = {"software"}


def candidates_for(store: Any, chains: list[str], *, per_chain: int, now: datetime, ranker: CandidateSource | None,
                   rnd: random.Random) -> list[dict[str, Any]]:
    """Lead data for each chain: the ranker's best candidates, else seed firms that make the chain's links."""
    picks: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for chain in chains:
        found = ranker(store, chain_id=chain, top=per_chain, now=now) if ranker else _seed_firms(store, chain, per_chain)
        for data in found:
            key = (data["company_id"], data["link_id"])
            if key not in seen:
                seen.add(key)
                picks.append(data)
    rnd.shuffle(picks)
    return picks


def _seed_firms(store: Any, chain: str, top: int) -> list[dict[str, Any]]:
    rows = store.read("MATCH (c:Company)-[:MAKES]->(n:ChainNode) WHERE n.chain_id = $chain "
                      "AND NOT EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } "
                      "RETURN c.id AS company_id, n.id AS link_id ORDER BY c.fg500_rank, c.id LIMIT $top",
                      {"chain": chain, "top": top})
    return [{**r, "source": "ranking"} for r in rows]


def _weighted(rnd: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rnd.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _working_hours(moment: datetime, rnd: random.Random) -> datetime:
    """Shift a moment to 09:00–17:00 Chongqing time (01:00–09:00 UTC) on its day."""
    return moment.replace(hour=rnd.randrange(1, 9), minute=rnd.randrange(0, 60), second=0, microsecond=0)


def add_pipeline(store: Any, picks: list[dict[str, Any]], people: dict[str, User], *, now: datetime,
                 rnd: random.Random) -> dict[str, int]:
    staff = [u for u in people.values() if u.role == "staff"]
    counts = {"leads": 0, "stage changes": 0, "follow-ups": 0, "projects": 0, "inflows": 0, "project stage moves": 0}
    districts = [r["id"] for r in store.read("MATCH (d:District) WHERE d.valid_to IS NULL AND d.kind <> 'zone' "
                                             "RETURN d.id AS id ORDER BY d.id")]
    for data in picks:
        owner = rnd.choice(staff) if staff and rnd.random() > 0.12 else None
        opened = _working_hours(now - timedelta(days=rnd.randrange(45, 720)), rnd)
        try:
            _one_lead(store, data, owner, districts, opened, now=now, rnd=rnd, counts=counts)
        except DomainError:
            continue  # a candidate the rules refuse (e.g. a district abolished meanwhile) is simply skipped
    counts["exits"] = landings.one_exit(store, now=now, rnd=rnd)
    counts["withdrawals"] = landings.one_withdrawal(store, now=now, rnd=rnd)
    return counts


def _one_lead(store: Any, data: dict[str, Any], owner: User | None, districts: list[str], opened: datetime, *,
              now: datetime, rnd: random.Random, counts: dict[str, int]) -> None:
    actor = owner.actor() if owner else SYSTEM
    lead_data = {**data, "priority": rnd.choice("AABBBC"), "expected_usd": rnd.randrange(5, 120) * 1_000_000,
                 "owner_id": owner.id if owner else None, "synthetic": True,
                 "district_id": data.get("district_id") or rnd.choice(districts)}
    lead = leads.create_lead(store, lead_data, actor=SYSTEM, now=opened, first_followup=False)  # its own below
    counts["leads"] += 1
    if owner is None:
        return
    current = followups.create_followup(store, {"lead_id": lead.id, "kind": "call", "due_at": opened + timedelta(days=3),
                                                "title": "首次联络（合成）", "synthetic": True}, actor=actor, now=opened)
    counts["follow-ups"] += 1
    final = _weighted(rnd, FINAL_STAGES)
    path = list(ORDER[1:ORDER.index(final) + 1]) if final != "dropped" else \
        list(ORDER[1:rnd.randrange(1, 4)]) + ["dropped"]
    moment = opened
    for stage in path:
        moment = moment + timedelta(days=rnd.randrange(8, 50), hours=rnd.randrange(0, 6))
        if moment >= now - timedelta(days=1):
            break
        done = completion.complete_followup(store, current.id, {"outcome": rnd.choice(OUTCOMES)}, actor=actor,
                                            now=moment, expected_version=None)
        counts["follow-ups"] += 1
        lead = leads.fetch(store, lead.id)
        terms = _project_terms(lead, moment, rnd) if stage == "signed" else None
        lead = leads.move_lead(store, lead.id, stage, actor=actor, now=moment, expected_version=lead.version,
                               reason=rnd.choice(DROP_REASONS) if stage == "dropped" else None, project=terms)
        counts["stage changes"] += 1
        if lead.project_id:
            counts["projects"] += 1
            counts["inflows"] += _add_inflows(store, lead.project_id, moment, now=now, rnd=rnd)
            counts["project stage moves"] += landings.advance(store, lead.project_id, moment, now=now, rnd=rnd)
        if done.next_id is None or stage in ("dropped", "signed"):
            _cancel(store, done.next_id, actor, moment)
            return
        current = followups.fetch(store, done.next_id, moment)


def _cancel(store: Any, followup_id: str | None, actor: Actor, now: datetime) -> None:
    if followup_id:
        followups.update_followup(store, followup_id, {"status": "cancelled"}, actor=actor, now=now,
                                  expected_version=None)


def add_reinvestment(store: Any, people: dict[str, User], *, now: datetime, rnd: random.Random,
                     firms: int = 8) -> dict[str, int]:
    """Capital increases by multinationals already here (任务 7 增资扩股、利润再投资), paid in since 2022."""
    rows = store.read("MATCH (c:Company)-[:PRESENT_IN]->(d:District) WHERE c.multinational = true "
                      "AND d.valid_to IS NULL MATCH (c)-[:MAKES]->(n:ChainNode) "
                      "RETURN c.id AS company, c.name_zh AS name, d.id AS district, min(n.id) AS link "
                      "ORDER BY company LIMIT $n", {"n": firms * 3})
    counts = {"projects": 0, "inflows": 0}
    staff = [u for u in people.values() if u.role == "staff"]
    start = now - timedelta(days=365 * 4)
    for row in rnd.sample(rows, min(firms, len(rows))):
        signed = _working_hours(start + timedelta(days=rnd.randrange(0, 200)), rnd)
        try:
            project = projects.create_project(store, {
                "name": f"{row['name']}增资扩产项目（合成）", "company_id": row["company"], "district_id": row["district"],
                "link_id": row["link"], "kind": "capital_increase", "manufacturing": True,
                "industry_category": "manufacturing", "total_investment_usd": rnd.randrange(30, 200) * 1_000_000,
                "contracted_fdi_usd": rnd.randrange(20, 120) * 1_000_000, "signed_on": local_today(signed),
                "owner_id": rnd.choice(staff).id if staff else None, "synthetic": True}, actor=SYSTEM, now=signed)
        except DomainError:
            continue
        counts["projects"] += 1
        landings.plan(store, project.id, signed)
        counts["inflows"] += _add_inflows(store, project.id, signed, now=now, rnd=rnd, payments=(3, 8))
    return counts


def _project_terms(lead: leads.Lead, signed: datetime, rnd: random.Random) -> dict[str, Any]:
    manufacturing = lead.chain_id not in NON_MANUFACTURING
    total = (lead.expected_usd or 20_000_000) * rnd.choice((1, 1, 2, 3))
    return {"manufacturing": manufacturing, "industry_category": "manufacturing" if manufacturing else
            "high_tech_services", "high_tech_services": not manufacturing, "total_investment_usd": total,
            "contracted_fdi_usd": lead.expected_usd, "kind": rnd.choice(("new", "new", "capital_increase")),
            "rd_centre": rnd.random() < 0.08, "regional_hq": rnd.random() < 0.06,
            "signed_on": local_today(signed)}


def _add_inflows(store: Any, project_id: str, signed: datetime, *, now: datetime, rnd: random.Random,
                 payments: tuple[int, int] = (1, 5)) -> int:
    """Paid-in capital after signing: mostly equity, some reinvested profit, a few shareholder loans."""
    added = 0
    day = local_today(signed)
    for _ in range(rnd.randrange(*payments)):
        day = day + timedelta(days=rnd.randrange(30, 200))
        if day >= local_today(now):
            break
        kind = rnd.choices(("equity", "reinvested_profit", "shareholder_loan"), weights=(75, 15, 10))[0]
        amount = rnd.choice((4, 8, 12, 18, 25, 35, 45)) * 1_000_000 + rnd.randrange(0, 999) * 1000
        inflows.add_inflow(store, project_id, {"received_on": day, "amount_usd": amount, "kind": kind,
                                               "synthetic": True}, actor=SYSTEM, now=_noon(day))
        added += 1
    return added


def _noon(day: date) -> datetime:
    from crm.base.clock import SHANGHAI

    return datetime(day.year, day.month, day.day, 12, tzinfo=SHANGHAI)
