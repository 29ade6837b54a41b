"""Escalation of the exit-risk watch (固链) by rule: a firm whose score has stood at or above policy
`exit_risk.escalate_at` for `escalation_period_days` is told to the leaders of its chains and the
officers of its districts, once per period of the streak.

The streak is kept as a RiskStreak node (the day the daily job first saw the score high); a day
below the threshold ends it, so "stays high" is what the job observed, not a guess from today.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.base.notices import Notice, notify
from crm.policy import load_policy, section
from graph.cypher import upsert_nodes
from scoring.exit_watch import WatchEntry, watch_list

_STREAKS = "MATCH (s:RiskStreak) RETURN s.id AS id, s.above_since AS since"
_ENDED = "UNWIND $ids AS i MATCH (s:RiskStreak {id: i}) DELETE s"
_TOLD = ("MATCH (u:User)-[:LEADS_CHAIN]->(c:Chain) WHERE u.active = true RETURN u.id AS id, c.id AS scope",
         "MATCH (u:User)-[:BELONGS_TO]->(d:District) WHERE u.active = true AND u.role = 'district_officer' "
         "RETURN u.id AS id, d.id AS scope")


def _notices(entry: WatchEntry, since: date, period: int, today: date, scoped: dict[str, set[str]]) -> list[Notice]:
    told = sorted({u for scope in (*entry.chains, *entry.districts) for u in scoped.get(scope, set())})
    name = entry.name_zh or entry.name_en or entry.company_id
    name_en = entry.name_en or entry.name_zh or entry.company_id
    days = (today - since).days
    key = f"exit-risk:{entry.company_id}:{since}:{days // period}"
    title = (f"固链预警：{name} 退出风险 {entry.risk.score} 分", f"Exit risk: {name_en} scores {entry.risk.score}")
    body = (f"自 {since} 起风险分持续不低于预警线（{days} 天）。" + "；".join(s.why_zh for s in entry.risk.signals),
            f"At or above the escalation line since {since} ({days} days). " + "; ".join(s.why_en for s in entry.risk.signals))
    return [Notice(key, user, "exit_risk", title, body, f"/companies/{entry.company_id}", "Company", entry.company_id)
            for user in told]


def escalate_exit_risk(store: Any, *, now: datetime, policy: dict[str, Any] | None = None) -> int:
    """Daily: keep each firm's high-score streak, and tell its chain leaders and district officers when the
    streak reaches a whole number of escalation periods; returns notices posted."""
    data = policy if policy is not None else load_policy()
    rule = section("exit_risk", data)
    today, period = local_today(now), int(rule["escalation_period_days"])
    high = {e.company_id: e for e in watch_list(store, actor=SYSTEM, today=today, policy=data) if e.risk.escalate}
    streaks = {r["id"]: r["since"] for r in store.read(_STREAKS)}
    ended = sorted(set(streaks) - set(high))
    if ended:
        store.write(_ENDED, {"ids": ended})
    started = [{"id": cid, "above_since": today} for cid in sorted(set(high) - set(streaks))]
    if started:
        upsert_nodes(store, "RiskStreak", started)
    due = {cid: since for cid, since in streaks.items() if cid in high and (today - since).days >= period}
    if not due:
        return 0
    scoped: dict[str, set[str]] = {}
    for r in [row for query in _TOLD for row in store.read(query)]:
        scoped.setdefault(r["scope"], set()).add(r["id"])
    notices = [n for cid, since in sorted(due.items()) for n in _notices(high[cid], since, period, today, scoped)]
    return notify(store, notices, now=now) if notices else 0
