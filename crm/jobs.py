"""The scheduled jobs as plain functions: `job(store, *, now) -> count`, each safe to run twice.

Each claims its work item by item with version-checked or stamped writes, so a second run (or a
second runner that slipped past the lease in crm/joblocks.py) finds nothing left to do.
web/scheduler.py registers them; `chainlead job run NAME` runs one by hand.

The weekly report (issue 8) is `crm.reports.scheduled_report(store, *, now) -> int`: last week's
report, generated once and told to its readers; `weekly_report` is scheduled when that package is there.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import logging
from datetime import datetime
from typing import Any, Callable

from crm import escalation, mail, pool, reminders
from crm.pipeline import OPEN_STAGES

log = logging.getLogger("chainlead.jobs")


def scan_followups(store: Any, *, now: datetime) -> int:
    """Every few minutes: tell owners of follow-ups and tasks due today or newly overdue."""
    return reminders.remind(store, now=now)


def escalate_overdue(store: Any, *, now: datetime) -> int:
    """Flag follow-ups overdue past the policy to their chain leaders."""
    return escalation.escalate_overdue(store, now=now)


def return_stale_leads(store: Any, *, now: datetime) -> int:
    """Daily: leads with no follow-up for the policy's days go back to the pool."""
    return pool.return_stale_leads(store, now=now)


def send_email(store: Any, *, now: datetime) -> int:
    """Mail unsent notifications when SMTP is configured (0 and nothing else when it is not)."""
    return mail.send_pending(store, now=now)


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    """A function of an optional package, or None when the package or the function is absent."""
    parent = module.rsplit(".", 1)[0]
    if importlib.util.find_spec(parent) is None or importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name, None)


def rescore_leads(store: Any, *, now: datetime) -> int:
    """Daily: give every open lead the score its company and link have in today's ranking.

    Scores are derived data, so they are written without bumping the lead's version. Without the
    scoring package this logs that and returns 0.
    """
    rank = _optional("scoring.ranking", "rank_candidates")
    snapshot = _optional("scoring.ranking", "candidate_snapshot")
    if rank is None or snapshot is None:
        log.info("lead re-scoring skipped: the scoring package (scoring.ranking) is not installed")
        return 0
    leads = store.read("MATCH (l:Lead)-[:TARGETS]->(c:Company) MATCH (l)-[:FILLS]->(n:ChainNode) "
                       "WHERE l.archived = false AND l.stage IN $open RETURN l.id AS id, c.id AS company, n.id AS link",
                       {"open": list(OPEN_STAGES)})
    if not leads:
        return 0
    best = {(c.company_id, c.link_id): c for c in rank(store, now=now)}
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


def reports_available() -> bool:
    return _optional("crm.reports", "scheduled_report") is not None


def weekly_report(store: Any, *, now: datetime) -> int:
    """Monday 08:00 Chongqing: last week's report (crm.reports, issue 8), when that package exists."""
    generate = _optional("crm.reports", "scheduled_report")
    if generate is None:
        log.info("weekly report skipped: crm.reports.scheduled_report is not there yet")
        return 0
    return int(generate(store, now=now) or 0)


JOBS: dict[str, Callable[..., int]] = {f.__name__: f for f in (
    scan_followups, escalate_overdue, return_stale_leads, rescore_leads, send_email, weekly_report)}
