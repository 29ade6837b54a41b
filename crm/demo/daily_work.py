"""The rest of a working bureau for the demo: contacts, firms' issues, notes and roadshows."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from crm.events import targets
from crm.library import contacts
from crm.people import notes
from crm.projects import firm_issues
from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.errors import DomainError
from crm.people.users import User

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "杰", "军", "勇", "婷", "强", "平", "刚")
TITLES = ("大中华区总裁", "亚太区投资总监", "中国区战略发展部经理", "全球采购副总裁", "政府事务总监")
ISSUES = (("logistics", "中欧班列舱位紧张，进口设备到港延误（合成）"), ("labour", "高级技工招聘困难（合成）"),
          ("energy", "夏季用电高峰需要有序用电安排（合成）"), ("permits", "环评批复进度咨询（合成）"),
          ("complaint", "园区道路施工影响货车进出（合成）"))


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randrange(1, 3))) + "（合成）"


def add_service_work(store: Any, people: dict[str, User], *, now: datetime, rnd: random.Random) -> dict[str, int]:
    """Contacts at the targeted firms, issues raised by signed firms (任务 15), notes on leads."""
    counts = {"contacts": 0, "firm issues": 0, "notes": 0}
    firms = [r["id"] for r in store.read("MATCH (l:Lead)-[:TARGETS]->(c:Company) WHERE l.synthetic = true "
                                         "RETURN DISTINCT c.id AS id ORDER BY id")]
    for company in firms:
        for _ in range(rnd.randrange(1, 3)):
            contacts.create_contact(store, {"company_id": company, "name": _person(rnd), "title": rnd.choice(TITLES),
                                            "email": f"contact{counts['contacts']}@example.com",
                                            "synthetic": True}, actor=SYSTEM, now=now)
            counts["contacts"] += 1
    staff = [u for u in people.values() if u.role == "staff"]
    signed = store.read("MATCH (p:Project) WHERE p.synthetic = true RETURN p.id AS id, p.signed_on AS signed "
                        "ORDER BY id")
    for row in signed:
        if rnd.random() < 0.45:
            category, title = rnd.choice(ISSUES)
            opened = row["signed"] + timedelta(days=rnd.randrange(20, 200))
            if opened >= local_today(now):
                continue
            firm_issues.create_issue(store, {"project_id": row["id"], "category": category, "title": title,
                                             "opened_on": opened, "owner_id": rnd.choice(staff).id if staff else None,
                                             "synthetic": True}, actor=SYSTEM, now=now)
            counts["firm issues"] += 1
    leads_rows = store.read("MATCH (l:Lead) WHERE l.synthetic = true AND l.owner_id IS NOT NULL "
                            "RETURN l.id AS id, l.owner_id AS owner ORDER BY id")
    by_id = {u.id: u for u in people.values()}
    for row in leads_rows[::4]:
        author = by_id.get(row["owner"])
        if author is None:
            continue
        notes.add_note(store, {"record_id": row["id"], "body": "企业关注重庆的配套半径与物流通道，下次带去链上企业清单。（合成）",
                               "synthetic": True}, actor=author.actor(), now=now - timedelta(days=rnd.randrange(1, 60)))
        counts["notes"] += 1
    return counts


def add_events(store: Any, people: dict[str, User], chains: list[str], *, now: datetime, rnd: random.Random,
               ranker: Callable[..., Any] | None) -> dict[str, int]:
    """Two roadshows in the coming weeks (checklists, target lists) and a past one whose meetings opened leads."""
    staff = [u for u in people.values() if u.role == "staff"]
    if not staff:
        return {}
    today = local_today(now)
    plans = [
        ("德国汽车零部件招商路演（合成）", "Automotive parts roadshow, Germany (synthetic)", "roadshow_abroad",
         "慕尼黑", "Munich", "DE", ["nev"], today + timedelta(days=18)),
        ("日韩电子信息产业视频连线会（合成）", "Electronics video-link session, Japan and Korea (synthetic)", "video_link",
         "重庆", "Chongqing", "CN", ["electronics", "display"], today + timedelta(days=9)),
        ("新加坡新材料与储能推介会（合成）", "Materials and storage promotion, Singapore (synthetic)", "roadshow_abroad",
         "新加坡", "Singapore", "SG", ["materials", "energy_storage"], today - timedelta(days=40)),
    ]
    counts = {"events": 0, "event leads": 0}
    for name_zh, name_en, kind, city_zh, city_en, country, focus, start in plans:
        focus = [c for c in focus if c in chains]
        owner = rnd.choice(staff)
        data = {"name_zh": name_zh, "name_en": name_en, "kind": kind, "city_zh": city_zh, "city_en": city_en,
                "country": country, "start_on": start, "end_on": start + timedelta(days=2), "chain_ids": focus,
                "owner_id": owner.id, "synthetic": True, "top": 8 if ranker and focus else None}
        created_at = now - timedelta(days=70) if start < today else now - timedelta(days=5)
        try:
            event = targets.create_event_with_targets(store, data, actor=SYSTEM, now=created_at,
                                                            ranker=ranker)
        except DomainError:
            continue
        counts["events"] += 1
        if start < today:
            counts["event leads"] += _meetings(store, event.id, focus, owner, start, rnd)
    return counts


def _meetings(store: Any, event_id: str, focus: list[str], owner: User, held: Any, rnd: random.Random) -> int:
    """Meetings held at a past event: each opens a lead sourced at the event."""
    rows = store.read("MATCH (c:Company)-[:MAKES]->(n:ChainNode) WHERE n.chain_id IN $chains "
                      "AND NOT EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } AND c.multinational = true "
                      "RETURN c.id AS company_id, n.id AS link_id ORDER BY c.fg500_rank, c.id, n.id LIMIT 20",
                      {"chains": focus})
    made = 0
    moment = datetime(held.year, held.month, held.day, 6, tzinfo=timezone.utc)
    for row in rnd.sample(rows, min(3, len(rows))):
        try:
            targets.record_meeting(store, event_id, {**row, "owner_id": owner.id, "priority": "A",
                                                           "outcome": "会见企业高管，初步确认在渝布局意向（合成）",
                                                           "synthetic": True},
                                         actor=owner.actor(), now=moment)
        except DomainError:
            continue
        made += 1
    return made

