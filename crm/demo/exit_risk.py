"""The demo's exit-risk watch (固链): a few foreign firms that landed through the demo's projects get
the signals staff would record (a parent's announced closure, a lease and an incentive ending soon)
and one an issue left open for months, so the watch list and its escalations have content.
Synthetic and deterministic, like the rest of the demo.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.errors import DomainError
from crm.policy import load_policy
from crm.projects import firm_issues
from crm.projects.risk_signals import record_signal

_LANDED = ("MATCH (c:Company)-[r:PRESENT_IN]->(d:District) WHERE r.source_project IS NOT NULL "
           "AND c.country IS NOT NULL AND NOT c.country IN $domestic "
           "MATCH (p:Project {id: r.source_project}) WHERE p.synthetic = true "
           "RETURN c.id AS company, d.id AS district, p.id AS project ORDER BY company, district LIMIT 4")
# (kind, days from today, note): what staff record on each watched firm, heaviest first
PLANS = (
    (("parent_closure", -25, "母公司公告全球产能整合，拟关闭部分海外工厂，重庆工厂在评估名单内（合成）"),
     ("lease_end", 75, "厂房租约到期，续租谈判未定（合成）")),
    (("lease_end", 120, "标准厂房租约到期，企业询问周边园区租金（合成）"),
     ("incentive_end", 40, "五年期地方留存税收返还到期（合成）")),
    (("incentive_end", 150, "设备补贴兑现期满（合成）"),),
)


def add_exit_risk(store: Any, *, now: datetime, rnd: random.Random, policy: dict[str, Any] | None = None) -> dict[str, int]:
    """Signals on up to three landed foreign firms, and an issue open for months on the first; returns counts."""
    data = policy if policy is not None else load_policy()
    domestic = list(data["scoring"]["ranking"]["policy_fit"]["domestic_countries"])
    today = local_today(now)
    counts = {"risk signals": 0, "firms watched": 0}
    firms, seen = [], set()
    for row in store.read(_LANDED, {"domestic": domestic}):
        if row["company"] not in seen:
            seen.add(row["company"])
            firms.append(row)
    for row, plan in zip(firms, PLANS):
        for kind, days, note in plan:
            try:
                record_signal(store, {"company_id": row["company"], "district_id": row["district"], "kind": kind,
                                      "signal_on": today + timedelta(days=days + rnd.randrange(0, 5)), "note": note,
                                      "source": "走访记录（合成）", "synthetic": True}, actor=SYSTEM, now=now)
            except DomainError:
                continue
            counts["risk signals"] += 1
        counts["firms watched"] += 1
    if firms:
        opened = today - timedelta(days=int(data["firm_issues"]["overdue_after_days"]) + 60)
        firm_issues.create_issue(store, {"project_id": firms[0]["project"], "category": "energy", "synthetic": True,
                                         "title": "扩产用电增容审批久拖未决（合成）", "opened_on": opened},
                                 actor=SYSTEM, now=now)
    return counts
