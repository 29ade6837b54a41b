"""The scheduler: one table of jobs; a failing job is logged and retried, an outage skipped, and
neither stops the scheduler."""
import logging
import threading
from datetime import datetime, timedelta, timezone

from apscheduler.events import EVENT_JOB_EXECUTED
from apscheduler.triggers.cron import CronTrigger

from crm.ops import jobs
from crm.ops.joblocks import lease
from graph.errors import StoreUnavailable
from tests.factories import NOW
from web import scheduler


def test_every_job_is_registered_from_the_one_table(embedded_store):
    built = scheduler.build(embedded_store)
    names = sorted(job.id for job in built.get_jobs())
    assert names == ["escalate_exit_risk", "escalate_overdue", "flag_stalled_projects", "prune_sessions", "rescore_leads", "return_stale_leads",
                     "scan_followups", "send_email", "snapshot_resilience", "weekly_report"]
    assert str(built.timezone) == "Asia/Shanghai"


def test_the_spacing_is_half_the_period():
    assert scheduler.spacing(CronTrigger(minute="*/5", timezone="Asia/Shanghai"), after=NOW) == timedelta(minutes=2.5)
    weekly = CronTrigger(day_of_week="mon", hour=8, timezone="Asia/Shanghai")
    assert scheduler.spacing(weekly, after=NOW) == timedelta(days=3.5)


def test_a_failing_job_is_logged_and_runs_again_next_time(embedded_store, caplog):
    def flaky(store, *, now):
        if now == NOW:
            raise ValueError("bad data")
        return 2

    gap = timedelta(minutes=2)
    with caplog.at_level(logging.ERROR, logger="chainlead.scheduler"):
        assert scheduler.fire(embedded_store, flaky, holder="t", gap=gap, clock=lambda: NOW) is None
    assert "job flaky failed" in caplog.text and "bad data" in caplog.text
    assert lease(embedded_store, "flaky").last_status == "failed"
    later = NOW + timedelta(minutes=5)
    assert scheduler.fire(embedded_store, flaky, holder="t", gap=gap, clock=lambda: later) == 2


class _DownStore:
    engine = "neo4j"

    def read(self, *args, **kwargs):
        raise StoreUnavailable("Neo4j at neo4j://127.0.0.1:7999 is unavailable")

    write = read
    transaction = read


def test_a_store_outage_skips_the_job_with_a_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="chainlead.scheduler"):
        assert scheduler.fire(_DownStore(), jobs.scan_followups, holder="t", gap=timedelta(minutes=2),
                              clock=lambda: NOW) is None
    assert "job scan_followups skipped: the store is unavailable" in caplog.text


def test_the_scheduler_keeps_running_after_a_job_fails(embedded_store):
    ran = threading.Event()

    def broken(store, *, now):
        raise RuntimeError("boom")

    def fine(store, *, now):
        ran.set()
        return 1

    built = scheduler.build(embedded_store, rows=[(broken, CronTrigger(minute="*/5")), (fine, CronTrigger(hour=2))],
                            clock=lambda: NOW)
    executed = []
    built.add_listener(lambda event: executed.append(event.job_id), EVENT_JOB_EXECUTED)
    built.start(paused=True)
    soon = datetime.now(timezone.utc) + timedelta(seconds=0.3)
    for job in built.get_jobs():
        job.modify(next_run_time=soon)
    built.resume()
    try:
        assert ran.wait(timeout=20)
        assert built.running
    finally:
        built.shutdown(wait=True)
    assert sorted(executed) == ["broken", "fine"]   # the failure was caught inside the firing
