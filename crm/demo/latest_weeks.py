"""The demo's last few weeks, and their weekly reports (issue 8), so `make demo` opens on reports
with something to say: each week some visits are made, overdue calls are caught up and a few
new leads are opened, then the reports of those weeks are generated (labelled synthetic).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from crm.followups import completion, followups
from crm.pipeline import leads
from crm.errors import DomainError
from crm.reports import Week, generate_recent
from crm.reports.outlook import Scoring
from crm.people.users import User
from crm.base.workdays import at_local

VISIT_NOTES = ("上门拜访企业中国区总部，介绍重庆产业配套（合成）", "陪同企业考察园区与上下游企业（合成）",
               "与企业洽谈用地与能耗指标安排（合成）")


def _open_leads(store: Any, owner_ids: list[str], limit: int) -> list[dict[str, Any]]:
    return store.read("MATCH (l:Lead) WHERE l.synthetic = true AND l.archived = false AND l.stage IN $open "
                      "AND l.owner_id IN $owners RETURN l.id AS id, l.owner_id AS owner ORDER BY l.id LIMIT $n",
                      {"open": ["contacted", "visited", "negotiating"], "owners": owner_ids, "n": limit})


def _overdue_calls(store: Any, before: datetime, limit: int) -> list[dict[str, Any]]:
    return store.read("MATCH (f:FollowUp)-[:ASSIGNED_TO]->(u:User) WHERE f.synthetic = true AND f.status = 'open' "
                      "AND f.due_at < $before RETURN f.id AS id, u.id AS owner ORDER BY f.due_at, f.id LIMIT $n",
                      {"before": before, "n": limit})


def _new_firms(store: Any, limit: int) -> list[dict[str, Any]]:
    """Seed firms not local and not pursued yet, for the leads a week opens."""
    return store.read("MATCH (c:Company)-[:MAKES]->(n:ChainNode) WHERE NOT EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } "
                      "AND NOT EXISTS { MATCH (:Lead)-[:TARGETS]->(c) } "
                      "RETURN c.id AS company_id, min(n.id) AS link_id ORDER BY company_id LIMIT $n", {"n": limit})


def _at(week: Week, offset: int, hour: int) -> datetime:
    """A Chongqing wall-clock hour on the week's day `offset` (0 = Monday)."""
    return at_local(week.start + timedelta(days=offset), hour)


def add_recent_work(store: Any, people: dict[str, User], *, now: datetime, rnd: random.Random,
                    weeks: int = 4) -> dict[str, int]:
    """Visits, caught-up calls and new leads in each of the last `weeks` finished weeks."""
    staff = {u.id: u for u in people.values() if u.role == "staff"}
    counts = {"recent visits": 0, "recent calls": 0, "recent leads": 0}
    if not staff:
        return counts
    districts = [r["id"] for r in store.read("MATCH (d:District) WHERE d.valid_to IS NULL AND d.kind <> 'zone' "
                                             "RETURN d.id AS id ORDER BY d.id")]
    week = Week.last_completed(now)
    chosen = [week]
    while len(chosen) < weeks:
        chosen.append(chosen[-1].previous)
    firms = _new_firms(store, 3 * weeks)
    for n, w in enumerate(reversed(chosen)):
        for lead in _open_leads(store, sorted(staff), 40)[n * 5:n * 5 + 2 + rnd.randrange(4)]:
            owner = staff[lead["owner"]]
            when = _at(w, rnd.randrange(0, 4), rnd.randrange(9, 17))
            try:
                visit = followups.create_followup(store, {"lead_id": lead["id"], "kind": "visit", "due_at": when,
                                                          "title": "实地拜访（合成）", "synthetic": True},
                                                  actor=owner.actor(), now=when - timedelta(days=3))
                completion.complete_followup(store, visit.id, {"outcome": rnd.choice(VISIT_NOTES)},
                                             actor=owner.actor(), now=when, expected_version=None)
            except DomainError:
                continue
            counts["recent visits"] += 1
        for call in _overdue_calls(store, w.start_at, 1 + rnd.randrange(3)):
            caller = staff.get(call["owner"])
            if caller is None:
                continue
            when = _at(w, rnd.randrange(0, 5), rnd.randrange(9, 17))
            completion.complete_followup(store, call["id"], {"outcome": "补办逾期电话跟进（合成）"},
                                         actor=caller.actor(), now=when, expected_version=None)
            counts["recent calls"] += 1
        for firm in firms[n * 3:n * 3 + 1 + rnd.randrange(3)]:
            owner = rnd.choice(list(staff.values()))
            try:
                leads.create_lead(store, {**firm, "owner_id": owner.id, "district_id": rnd.choice(districts),
                                          "priority": "B", "source": "referral", "synthetic": True,
                                          "expected_usd": rnd.randrange(10, 80) * 1_000_000},
                                  actor=owner.actor(), now=_at(w, rnd.randrange(0, 5), 10))
            except DomainError:
                continue
            counts["recent leads"] += 1
    return counts


def add_resilience_trend(store: Any, *, now: datetime, scoring: Scoring | None,
                         weeks: int = 105) -> dict[str, int]:
    """Two years of weekly resilience snapshots from the dated history (landings, the exit), so the cockpit
    and the reports draw a trend; labelled synthetic like the history they measure."""
    if scoring is None or scoring.snapshot_resilience is None:
        return {"resilience snapshots": 0}
    last = Week.last_completed(now).end
    made = sum(scoring.snapshot_resilience(store, last - timedelta(weeks=n), now=now, synthetic=True)
               for n in range(weeks - 1, -1, -1))
    return {"resilience snapshots": made}


def add_reports(store: Any, *, now: datetime, scoring: Scoring | None, weeks: int = 4) -> dict[str, int]:
    """The weekly reports of the last `weeks` finished weeks, told to every demo user."""
    made = generate_recent(store, now=now, weeks=weeks, scoring=scoring, synthetic=True)
    return {"weekly reports": len(made)}
