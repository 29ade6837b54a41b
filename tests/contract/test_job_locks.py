"""Job leases: however many runners start a job's slot at once, it runs once, on both engines."""
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.triggers.cron import CronTrigger

from crm.ops.joblocks import claim, lease, run_locked
from tests.factories import NOW
from web.scheduler import build

GAP = timedelta(minutes=2, seconds=30)


def _race(store, runners: int, now: datetime) -> list[int | None]:
    barrier, results = threading.Barrier(runners), []

    def run(i):
        barrier.wait()
        results.append(run_locked(store, "scan_followups", lambda s, now: 7, holder=f"runner-{i}", now=now,
                                  spacing=GAP))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_it_runs_a_slot_once_however_many_runners_race(store):
    results = _race(store, 5, NOW)
    assert sorted(results, key=lambda r: r is None) == [7, None, None, None, None]
    assert _race(store, 3, NOW + timedelta(seconds=20)).count(7) == 0          # same slot, a late runner
    assert _race(store, 3, NOW + timedelta(minutes=5)).count(7) == 1           # the next slot


def test_a_crashed_runner_s_lease_expires(store):
    assert claim(store, "return_stale_leads", holder="dead", now=NOW, spacing=GAP, hold=timedelta(minutes=30))
    assert not claim(store, "return_stale_leads", holder="alive", now=NOW + timedelta(minutes=10), spacing=GAP)
    assert claim(store, "return_stale_leads", holder="alive", now=NOW + timedelta(minutes=31), spacing=GAP)
    assert lease(store, "return_stale_leads").holder == "alive"


def test_a_failure_is_recorded_and_the_next_slot_retries(store):
    def broken(s, now):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_locked(store, "escalate_overdue", broken, holder="a", now=NOW, spacing=GAP)
    failed = lease(store, "escalate_overdue")
    assert failed.last_status == "failed" and "boom" in failed.last_error and failed.until is None
    assert run_locked(store, "escalate_overdue", lambda s, now: 3, holder="b", now=NOW + timedelta(minutes=5),
                      spacing=GAP) == 3


def _two_runners(first, second):
    """Two schedulers (as two `chainlead worker`s would be) fire the same jobs at the same moment."""
    counts = {"alpha": 0, "beta": 0}
    lock = threading.Lock()

    def job(name):
        def run(store, *, now):
            with lock:
                counts[name] += 1
            return 1
        run.__name__ = name
        return run

    rows = [(job("alpha"), CronTrigger(minute="*/5")), (job("beta"), CronTrigger(hour=2))]
    done = threading.Semaphore(0)
    schedulers = [build(s, rows=rows, clock=lambda: NOW, holder=f"worker-{i}") for i, s in enumerate((first, second))]
    for scheduler in schedulers:
        scheduler.add_listener(lambda event: done.release(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        scheduler.start(paused=True)
    fire_at = datetime.now(timezone.utc) + timedelta(seconds=0.5)
    for scheduler in schedulers:
        for scheduled in scheduler.get_jobs():
            scheduled.modify(next_run_time=fire_at)
        scheduler.resume()
    try:
        assert all(done.acquire(timeout=30) for _ in range(4)), "the schedulers did not fire"
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)
    time.sleep(0.1)
    return counts


def test_two_runners_against_one_store_fire_each_job_once(store):
    assert _two_runners(store, store) == {"alpha": 1, "beta": 1}


@pytest.mark.neo4j
def test_two_workers_with_their_own_drivers_fire_each_job_once(neo4j_store):
    from graph.engines.neo4j import Neo4jStore
    from tests.conftest import neo4j_config

    second = Neo4jStore(neo4j_config())
    try:
        assert _two_runners(neo4j_store, second) == {"alpha": 1, "beta": 1}
    finally:
        second.close()
