"""The embedded store shared over its owner's socket (graph/engines/shared.py) keeps the store port's promises:
what one process writes another reads, a transaction is all or nothing, writers take turns, and a web
process that dies in the middle of a transaction leaves nothing behind and the write lock free."""
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timezone

import pytest

from graph.engines.shared import SharedStore, StoreServer, store_socket
from graph.errors import ConstraintViolation, StoreUnavailable
from tests.conftest import ROOT, as_web_process

COMPANY = "MERGE (c:Company {id: $id}) SET c.name_zh = $name, c.employees = $n"


@pytest.fixture
def shared(embedded_store):
    with as_web_process(embedded_store) as client:
        yield embedded_store, client


def names(store):
    return sorted(r["n"] for r in store.read("MATCH (c:Company) RETURN c.name_zh AS n"))


def test_what_the_web_process_writes_the_owner_reads_and_back(shared):
    owner, client = shared
    client.write(COMPANY, {"id": "c1", "name": "甲公司", "n": 3})
    owner.write("MATCH (c:Company {id: 'c1'}) SET c.updated_at = $t", {"t": datetime(2026, 1, 2, 3, 4, 5)})
    owner.write("CREATE (:District {id: '500103', valid_from: $d})", {"d": date(2020, 5, 1)})
    row = client.read("MATCH (c:Company {id: 'c1'}), (d:District) RETURN c.name_zh AS n, c.employees AS e, "
                      "d.valid_from AS d, c.updated_at AS t")[0]
    assert row == {"n": "甲公司", "e": 3, "d": date(2020, 5, 1), "t": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)}
    assert names(owner) == ["甲公司"]


def test_a_transaction_that_fails_half_way_writes_nothing(shared):
    owner, client = shared

    def work(tx):
        tx.run(COMPANY, {"id": "c1", "name": "写了一半", "n": 1})
        assert client.read("MATCH (c:Company) RETURN count(c) AS n")[0]["n"] == 1  # reads join the transaction
        raise ValueError("the domain refused")

    with pytest.raises(ValueError, match="the domain refused"):
        client.transaction(work)
    with pytest.raises(ConstraintViolation):
        client.transaction(lambda tx: [tx.run("CREATE (:Company {id: 'dup'})"), tx.run("CREATE (:Company {id: 'dup'})")])
    assert names(owner) == [] and client.read("MATCH (c:Company) RETURN count(c) AS n")[0]["n"] == 0
    client.write(COMPANY, {"id": "c2", "name": "之后照常", "n": 2})
    assert names(owner) == ["之后照常"]


def test_writers_from_many_threads_take_turns_and_none_is_lost(shared):
    owner, client = shared
    client.write(COMPANY, {"id": "counter", "name": "计数", "n": 0})

    def bump():
        for _ in range(10):
            client.transaction(lambda tx: tx.run(
                "MATCH (c:Company {id: 'counter'}) SET c.employees = c.employees + 1"))

    threads = [threading.Thread(target=bump) for _ in range(4)] + [
        threading.Thread(target=lambda: [owner.write("MATCH (c:Company {id: 'counter'}) "
                                                     "SET c.employees = c.employees + 1") for _ in range(10)])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert owner.read("MATCH (c:Company {id: 'counter'}) RETURN c.employees AS n")[0]["n"] == 50


DIES_IN_A_TRANSACTION = """
import sys, time
from graph.engines.shared import SharedStore
store = SharedStore(sys.argv[1])
def work(tx):
    tx.run("CREATE (:Company {id: 'orphan', name_zh: '没提交'})")
    print("inside", flush=True)
    time.sleep(60)
store.transaction(work)
"""


def test_a_web_process_killed_in_a_transaction_leaves_nothing_and_frees_the_lock(shared):
    owner, client = shared
    child = subprocess.Popen([sys.executable, "-c", DIES_IN_A_TRANSACTION, owner.location], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        assert child.stdout.readline().strip() == "inside"
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        started = time.monotonic()
        owner.write(COMPANY, {"id": "after", "name": "锁已释放", "n": 1})  # waits for the rollback, not for ever
        assert time.monotonic() - started < 10
    finally:
        if child.poll() is None:
            child.kill()
    assert names(owner) == ["锁已释放"] and names(client) == ["锁已释放"]


def test_while_the_owner_is_away_the_web_process_answers_unavailable_then_carries_on(embedded_store):
    lender = StoreServer(embedded_store, store_socket(embedded_store.location))
    client = SharedStore(embedded_store.location)
    try:
        client.write(COMPANY, {"id": "c1", "name": "重启前", "n": 1})
        lender.close()
        with pytest.raises(StoreUnavailable, match="went away"):
            client.read("MATCH (c:Company) RETURN count(c) AS n")
        lender = StoreServer(embedded_store, store_socket(embedded_store.location))
        assert names(client) == ["重启前"]
    finally:
        client.close()
        lender.close()


def test_without_an_owner_the_web_process_says_so(tmp_path):
    with pytest.raises(StoreUnavailable, match="start `chainlead serve` first"):
        SharedStore(tmp_path / "nobody.lbug")


def test_the_socket_is_for_the_owners_account_only(shared):
    owner, _ = shared
    mode = store_socket(owner.location).stat().st_mode & 0o777
    assert mode == 0o600


def test_when_the_owner_runs_a_transaction_again_the_web_process_runs_its_work_again(shared, monkeypatch):
    """The owner's buffer pool was full: it frees memory and runs the transaction once more (as a Neo4j
    driver retries), so the web process's work runs again and its writes land once."""
    from graph.engines import embedded

    owner, client = shared
    real_run, failed = embedded._Tx.run, []

    def full_once(self, query, params=None, touches=None):
        if "Company" in query and not failed:
            failed.append(query)
            raise embedded._BufferFull("buffer pool full (simulated)")
        return real_run(self, query, params, touches)

    monkeypatch.setattr(embedded._Tx, "run", full_once)
    runs = []

    def work(tx):
        runs.append(1)
        tx.run(COMPANY, {"id": "again", "name": "再来一次", "n": 1})
        return "done"

    assert client.transaction(work) == "done"
    assert len(runs) == 2 and failed
    assert names(owner) == ["再来一次"]


def test_the_journal_answers_inside_a_transaction_of_the_web_process(shared):
    """A list's copy asks the owner's journal; asked from inside a transaction it must not break it."""
    owner, client = shared
    before = client.writes

    def work(tx):
        tx.run(COMPANY, {"id": "j1", "name": "日志", "n": 1}, {"Company": ["j1"]})
        assert client.writes == before and client.changed("Company", before) == (before, set())
        return "done"

    assert client.transaction(work) == "done"
    assert client.changed("Company", before) == (before + 1, {"j1"}) and names(owner) == ["日志"]
