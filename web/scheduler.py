"""APScheduler wiring: the one table of (job, trigger), and a runner that never lets a job stop it.

Each firing takes the job's lease in the store (crm/ops/joblocks.py), so two schedulers against one
Neo4j run each slot once; a failing job is logged (and recorded on its lease) and simply runs
again at its next time; a store outage makes the job skip with one log line. `chainlead serve`
runs a BackgroundScheduler on the embedded engine; `chainlead worker` a BlockingScheduler.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from crm.ops import jobs
from crm.base.clock import SHANGHAI, utcnow
from crm.ops.joblocks import run_locked, runner_id
from graph.errors import StoreError, StoreUnavailable

log = logging.getLogger("chainlead.scheduler")
Job = Callable[..., int]


def _cron(**fields: Any) -> CronTrigger:
    return CronTrigger(timezone=SHANGHAI, **fields)


def table() -> list[tuple[Job, BaseTrigger]]:
    """Every scheduled job and when it fires (Chongqing time). The weekly report joins when it exists."""
    rows: list[tuple[Job, BaseTrigger]] = [
        (jobs.scan_followups, _cron(minute="*/5")),
        (jobs.send_email, _cron(minute="2-59/5")),
        (jobs.escalate_overdue, _cron(hour="8-20", minute=15)),
        (jobs.return_stale_leads, _cron(hour=2, minute=10)),
        (jobs.prune_sessions, _cron(hour=2, minute=40)),
        (jobs.flag_stalled_projects, _cron(hour=7, minute=30)),
        (jobs.escalate_exit_risk, _cron(hour=7, minute=40)),
        (jobs.rescore_leads, _cron(hour=3, minute=10)),
        (jobs.snapshot_resilience, _cron(day_of_week="mon", hour=7, minute=0)),
        (jobs.weekly_report, _cron(day_of_week="mon", hour=8, minute=0)),
    ]
    return rows


def spacing(trigger: BaseTrigger, *, after: datetime | None = None) -> timedelta:
    """Half the shortest gap between the trigger's next firings: two runners' starts of one slot
    fall within it, the next slot's never does."""
    moment = (after or utcnow()).astimezone(SHANGHAI)
    fires: list[datetime] = []
    previous = None
    for _ in range(6):
        nxt = trigger.get_next_fire_time(previous, moment)
        if nxt is None:
            break
        fires.append(nxt)
        previous, moment = nxt, nxt + timedelta(seconds=1)
    gaps = [b - a for a, b in zip(fires, fires[1:])]
    return min(gaps) / 2 if gaps else timedelta(hours=12)


def fire(store: Any, job: Job, *, holder: str, gap: timedelta, clock: Callable[[], datetime] = utcnow) -> int | None:
    """One firing: run the job under its lease; log and swallow every failure (the next firing retries)."""
    name = job.__name__
    try:
        count = run_locked(store, name, job, holder=holder, now=clock(), spacing=gap)
    except StoreUnavailable as exc:
        log.warning("job %s skipped: the store is unavailable (%s); it runs again at its next time", name, exc)
        return None
    except StoreError as exc:
        log.error("job %s failed in the store: %s; it runs again at its next time", name, exc)
        return None
    except Exception:
        log.exception("job %s failed; it runs again at its next time", name)
        return None
    if count is not None:
        log.info("job %s done: %d", name, count)
    return count


def build(store: Any, *, blocking: bool = False, clock: Callable[[], datetime] = utcnow,
          rows: list[tuple[Job, BaseTrigger]] | None = None, holder: str | None = None) -> BaseScheduler:
    """A scheduler with every job of the table registered (not started)."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(timezone=SHANGHAI, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    holder = holder or runner_id()
    for job, trigger in rows if rows is not None else table():
        scheduler.add_job(fire, trigger, args=(store, job), id=job.__name__, name=job.__name__, replace_existing=True,
                          kwargs={"holder": holder, "gap": spacing(trigger), "clock": clock})
    return scheduler


def start_background(store: Any) -> BaseScheduler:
    """Start the jobs in this process (the embedded engine's `chainlead serve`)."""
    scheduler = build(store)
    scheduler.start()
    log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    return scheduler
