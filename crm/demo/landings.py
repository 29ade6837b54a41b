"""The demo's projects move on after signing (注册, 开工, 投产 …) on dates drawn after their signing, so
some land and close their gaps over the two years, a few stay at signing; and one firm that landed
leaves again, re-opening its gap (issue 14). Synthetic, like the rest of the demo.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.errors import DomainError
from crm.library.presence import end_presence
from crm.projects import lifecycle, projects
from crm.projects.rules import PLANNED

STEPS = (("registered", 20, 90), ("started", 30, 120), ("producing", 90, 240), ("full_production", 90, 240))
PLAN_DAYS = (("registered", 60), ("started", 150), ("producing", 400), ("full_production", 700))


def plan(store: Any, project_id: str, signed: datetime) -> None:
    """Planned days as a signing sets them, so projects that fall behind show as stalled."""
    projects.update_project(store, project_id, {PLANNED[stage]: local_today(signed) + timedelta(days=days)
                                                for stage, days in PLAN_DAYS},
                            actor=SYSTEM, now=signed, expected_version=None)


def advance(store: Any, project_id: str, signed: datetime, *, now: datetime, rnd: random.Random) -> int:
    """Plan the project's stages, then move it on while the drawn dates lie in the past; returns the
    stages reached."""
    plan(store, project_id, signed)
    if rnd.random() < 0.2:
        return 0  # some projects are still where signing left them
    moment, reached = signed, 0
    for stage, low, high in STEPS:
        moment = moment + timedelta(days=rnd.randrange(low, high))
        if moment >= now - timedelta(days=1):
            break
        try:
            lifecycle.move_project(store, project_id, stage, on=local_today(moment), reason=None, actor=SYSTEM,
                                   now=moment, expected_version=None)
        except DomainError:
            break
        reached += 1
    return reached


def one_exit(store: Any, *, now: datetime, rnd: random.Random) -> int:
    """One landed investor leaves its district (relocation) some months after landing; returns 0 or 1."""
    rows = store.read("MATCH (c:Company)-[r:PRESENT_IN]->(d:District) WHERE r.source_project IS NOT NULL "
                      "AND r.since IS NOT NULL RETURN c.id AS company, d.id AS district, r.since AS since "
                      "ORDER BY r.since, company LIMIT 5")
    for row in rows:
        left = row["since"] + timedelta(days=rnd.randrange(120, 300))
        if left >= local_today(now):
            continue
        try:
            end_presence(store, row["company"], row["district"], until=left, reason="relocation", actor=SYSTEM,
                         now=now)
        except DomainError:
            continue
        return 1
    return 0


def one_withdrawal(store: Any, *, now: datetime, rnd: random.Random) -> int:
    """The earliest project still at signing is withdrawn some weeks later (the plan tracks 退出 too);
    returns 0 or 1."""
    rows = store.read("MATCH (p:Project) WHERE p.stage = 'signed' AND p.signed_on IS NOT NULL "
                      "RETURN p.id AS id, p.signed_on AS signed ORDER BY signed, id LIMIT 5")
    for row in rows:
        on = row["signed"] + timedelta(days=rnd.randrange(40, 160))
        if on >= local_today(now):
            continue
        lifecycle.move_project(store, row["id"], lifecycle.WITHDRAWN, on=on, reason="投资方调整全球布局，项目终止（合成）",
                               actor=SYSTEM, now=now, expected_version=None)
        return 1
    return 0
