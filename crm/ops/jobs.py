"""The scheduled jobs as plain functions: `job(store, *, now) -> count`, each safe to run twice.

Each claims its work item by item with version-checked or stamped writes, so a second run (or a
second runner that slipped past the lease in crm/ops/joblocks.py) finds nothing left to do.
web/scheduler.py registers them; `chainlead job run NAME` runs one by hand.

The weekly report (issue 8) is `crm.reports.scheduled_report(store, *, now) -> int`: last week's
report, generated once and told to its readers. Re-scoring uses the lead ranking in crm.base.hooks.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any, Callable

from crm.base import hooks
from crm.choices import CANDIDATE_MARKETS
from crm.followups import escalation, first, reminders
from crm.notify import mail
from crm.people import sessions
from crm.pipeline import pool
from crm.pipeline.stages import OPEN_STAGES
from crm.projects import stalls

log = logging.getLogger("chainlead.jobs")


def scan_followups(store: Any, *, now: datetime) -> int:
    """Every few minutes: give new work that arrived without one its first follow-up (an import, the CLI),
    and tell owners of follow-ups and tasks due today or newly overdue."""
    first.schedule_first(store, now=now)
    return reminders.remind(store, now=now)


def escalate_overdue(store: Any, *, now: datetime) -> int:
    """Flag follow-ups overdue past the policy to their chain leaders."""
    return escalation.escalate_overdue(store, now=now)


def return_stale_leads(store: Any, *, now: datetime) -> int:
    """Daily: leads with no follow-up for the policy's days go back to the pool."""
    return pool.return_stale_leads(store, now=now)


def prune_sessions(store: Any, *, now: datetime) -> int:
    """Daily: sessions ended or lapsed a week ago are deleted (every login leaves one behind)."""
    return sessions.prune(store, now=now)


def flag_stalled_projects(store: Any, *, now: datetime) -> int:
    """Daily: tell the owner and chain leaders of each project newly stalled by policy's rules, with the reason."""
    return stalls.notify_stalled(store, now=now)


def send_email(store: Any, *, now: datetime) -> int:
    """Mail unsent notifications when SMTP is configured (0 and nothing else when it is not)."""
    return mail.send_pending(store, now=now)


def rescore_leads(store: Any, *, now: datetime) -> int:
    """Daily: give every open lead the score its company and link have in today's ranking.

    Scores are derived data, so they are written without bumping the lead's version. Without the
    lead ranking installed (crm.base.hooks) this logs that and returns 0.
    """
    installed = hooks.scoring()
    if installed is None:
        log.info("lead re-scoring skipped: no lead ranking is installed (crm.base.hooks)")
        return 0
    rank, snapshot = installed.rank_candidates, installed.candidate_snapshot
    leads = store.read("MATCH (l:Lead)-[:TARGETS]->(c:Company) MATCH (l)-[:FILLS]->(n:ChainNode) "
                       "WHERE l.archived = false AND l.stage IN $open RETURN l.id AS id, c.id AS company, n.id AS link",
                       {"open": list(OPEN_STAGES)})
    if not leads:
        return 0
    best = {(c.company_id, c.link_id): c for market in CANDIDATE_MARKETS.values
            for c in rank(store, now=now, market=market)}
    rows = []
    for lead in leads:
        cand = best.get((lead["company"], lead["link"]))
        if cand is not None:
            data = snapshot(cand, at=now)
            rows.append({"id": lead["id"], "score": float(data["score"]),
                         "factors": json.dumps(data["score_factors"], ensure_ascii=False, sort_keys=True)})
    for start in range(0, len(rows), 1000):
        store.write("UNWIND $rows AS r MATCH (l:Lead {id: r.id}) SET l.score = r.score, l.score_factors = r.factors",
                    {"rows": rows[start:start + 1000]})
    return len(rows)


def snapshot_resilience(store: Any, *, now: datetime) -> int:
    """Monday 07:00: keep each chain's and the city's resilience index as of last week's Sunday (the trend)."""
    installed = hooks.scoring()
    if installed is None or installed.snapshot_resilience is None:
        log.info("resilience snapshot skipped: no scoring is installed (crm.base.hooks)")
        return 0
    from crm.reports.weeks import Week

    return installed.snapshot_resilience(store, Week.last_completed(now).end, now=now)


def escalate_exit_risk(store: Any, *, now: datetime) -> int:
    """Daily: firms whose exit-risk score stays at or above policy's line for its period are told to their
    chain leaders and district officers (固链), once per period."""
    installed = hooks.scoring()
    if installed is None or installed.escalate_exit_risk is None:
        log.info("exit-risk escalation skipped: no scoring is installed (crm.base.hooks)")
        return 0
    return installed.escalate_exit_risk(store, now=now)


def weekly_report(store: Any, *, now: datetime) -> int:
    """Monday 08:00 Chongqing: last week's report (crm.reports, issue 8)."""
    from crm.reports import scheduled_report  # the report pulls in charts and documents: only when it runs

    return scheduled_report(store, now=now)


JOBS: dict[str, Callable[..., int]] = {f.__name__: f for f in (
    scan_followups, escalate_overdue, return_stale_leads, flag_stalled_projects, rescore_leads, send_email,
    snapshot_resilience, escalate_exit_risk, weekly_report)}
