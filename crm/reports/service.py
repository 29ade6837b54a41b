"""Generating weekly reports: read, compute, store, tell the readers (requirements M2; 四（四）).

Only weeks that have ended are generated, so a stored report never holds half a week, and the
Monday job (`scheduled_report`, run under its lease by web/scheduler.py) finds last week missing
and makes it exactly once. Admins and staff generate by hand; everyone who logs in reads.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from crm.base.access import SYSTEM, Actor, require
from crm.errors import Conflict, ValidationFailed
from crm.policy import load_policy
from crm.reports import delivery, store
from crm.reports.figures import compute
from crm.reports.loading import load
from crm.base import hooks
from crm.reports.outlook import Scoring, chain_outlook
from crm.reports.settings import report_policy
from crm.reports.weeks import Week

log = logging.getLogger("chainlead.reports")
GENERATORS = ("admin", "staff")


def build(reader: Any, week: Week, *, now: datetime, scoring: Scoring | None,
          policy: dict[str, Any] | None = None) -> dict[str, Any]:
    """The week's figures from the store (nothing written): the graph, the stages and the districts as
    they stood at the week's end, so a past week reads as it did when it was generated."""
    data = policy if policy is not None else load_policy()
    settings = report_policy(data)
    outlook = chain_outlook(reader, scoring, as_of=week.end, settings=settings) if scoring is not None else None
    return compute(load(reader, week, settings=settings, now=now, outlook=outlook), settings, data)


def may_generate(actor: Actor) -> bool:
    return actor.role in GENERATORS


def generate(target: Any, week: Week, *, actor: Actor, now: datetime, scoring: Scoring | None,
             regenerate: bool = False, deliver: bool = True, synthetic: bool = False,
             policy: dict[str, Any] | None = None) -> store.Report:
    """Compute and store the week's report and tell its readers; an existing week needs `regenerate`."""
    require(may_generate(actor), "generate reports")
    if not week.has_ended(now):
        raise ValidationFailed({"week": [f"{week.id} ends on {week.end.isoformat()}: a report covers a whole week, "
                                         "so it can be generated from the Monday after"]})
    if not regenerate and store.exists(target, week):  # checked again under the write, but spare the work
        raise Conflict(f"the report for {week.id} exists; ask for regeneration to replace it")
    figures = build(target, week, now=now, scoring=scoring, policy=policy)
    report = store.save(target, week, figures, actor=actor, now=now, regenerate=regenerate, synthetic=synthetic)
    if deliver:
        delivery.deliver(target, report, now=now)
    return report


def scheduled_report(target: Any, *, now: datetime) -> int:
    """Monday 08:00 Chongqing: last week's report, once (1 when made, 0 when it was already there)."""
    week = Week.last_completed(now)
    if store.exists(target, week):
        log.info("report %s already generated", week.id)
        return 0
    scoring = hooks.scoring()
    if scoring is None:
        log.info("report %s without the chain outlook: no lead ranking is installed (crm.base.hooks)", week.id)
    generate(target, week, actor=SYSTEM, now=now, scoring=scoring)
    return 1


def generate_recent(target: Any, *, now: datetime, weeks: int, scoring: Scoring | None, synthetic: bool = False,
                    deliver: bool = True) -> list[store.Report]:
    """The last `weeks` completed weeks that have no report yet, oldest first (the demo's history)."""
    latest = Week.last_completed(now)
    wanted = [latest]
    while len(wanted) < weeks:
        wanted.append(wanted[-1].previous)
    return [generate(target, w, actor=SYSTEM, now=now, scoring=scoring, synthetic=synthetic, deliver=deliver)
            for w in reversed(wanted) if not store.exists(target, w)]
