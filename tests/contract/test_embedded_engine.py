"""The embedded engine in one process: threads share it safely; a second process is told who holds it."""
import os
import subprocess
import sys
import threading

import pytest

from graph.cypher import count_nodes, upsert_nodes
from graph.engines.embedded import EmbeddedStore
from graph.errors import StoreError


def test_concurrent_writers_in_threads_are_serialised_not_failed(embedded_store):
    errors = []

    def writer(t):
        try:
            for i in range(20):
                embedded_store.transaction(
                    lambda tx, i=i: upsert_nodes(tx, "Company", [{"id": f"t{t}-{i}", "employees": i}]))
        except Exception as exc:  # collected so the assertion names it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for _ in range(50):
        embedded_store.read("MATCH (c:Company) RETURN count(c) AS n")
    for th in threads:
        th.join()
    assert errors == []
    assert count_nodes(embedded_store, "Company") == 160


def test_a_second_process_is_told_which_process_holds_the_file(embedded_store):
    code = ("from graph.engines.embedded import EmbeddedStore\n"
            f"EmbeddedStore({embedded_store.location!r})\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("graph.errors.StoreLocked")
    assert f"process {os.getpid()}" in last and "Stop it first" in last


def test_the_cli_reports_a_locked_store_without_a_traceback(embedded_store, tmp_path):
    env = dict(os.environ, CHAINLEAD_DB_PATH=embedded_store.location)
    env.pop("CHAINLEAD_NEO4J_URI", None)
    proc = subprocess.run([sys.executable, "-m", "web.cli", "status"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 1
    assert "is in use by process" in proc.stderr and "Traceback" not in proc.stderr


def test_a_stale_wal_without_its_database_gets_a_clear_message(tmp_path):
    (tmp_path / "gone.lbug.wal").write_bytes(b"x")
    with pytest.raises(StoreError, match="left from a database that is gone"):
        EmbeddedStore(tmp_path / "gone.lbug")


def test_data_survive_closing_and_reopening(tmp_path):
    first = EmbeddedStore(tmp_path / "db.lbug", buffer_pool_mb=64)
    first.ensure_schema()
    upsert_nodes(first, "Company", [{"id": "kept"}])
    first.close()
    again = EmbeddedStore(tmp_path / "db.lbug", buffer_pool_mb=64)
    assert count_nodes(again, "Company") == 1
    again.close()


def test_kept_connections_give_their_memory_back_when_the_buffer_pool_runs_full(tmp_path):
    """A kept connection holds memory for every kind of query it ran: on a 64 MB pool seven different
    reads, repeated, filled it (503s under load); the store now frees it and retries instead."""
    from crm.events import events
    from crm.followups import followups
    from crm.library import companies, contacts
    from crm.pipeline import leads
    from crm.base.access import SYSTEM
    from tests.factories import NOW, make_contact, make_event, make_followup, make_lead, make_reference

    store = EmbeddedStore(tmp_path / "small.lbug", buffer_pool_mb=64)
    store.ensure_schema()
    make_reference(store)
    lead = make_lead(store)
    item, event = make_followup(store, lead.id), make_event(store)
    make_contact(store)
    reads = [lambda: companies.get_company(store, "semcorp"),
             lambda: contacts.list_contacts(store, contacts.ContactQuery()),
             lambda: events.get_event(store, event.id, actor=SYSTEM),
             lambda: events.list_events(store, events.EventQuery(), actor=SYSTEM),
             lambda: leads.fetch(store, lead.id),
             lambda: followups.get_followup(store, item.id, actor=SYSTEM, now=NOW),
             lambda: followups.list_followups(store, followups.FollowUpQuery(), actor=SYSTEM, now=NOW)]
    for _ in range(5):
        for read in reads:
            read()
        store.transaction(lambda tx: tx.run("MATCH (l:Lead {id: $id}) SET l.priority = 'C'", {"id": lead.id}))
    store.close()


def test_a_serving_thread_keeps_its_connection_and_prepared_statements_past_many_reads(tmp_path):
    """Recycling connections by count threw their prepared statements away every 50 uses (issue 17):
    one thread reading 200 times is lent the same connection, and a read without parameters is answered."""
    store = EmbeddedStore(tmp_path / "db.lbug", buffer_pool_mb=64)
    store.ensure_schema()
    upsert_nodes(store, "Company", [{"id": "kept"}])
    with store._conn() as first:
        pass
    for _ in range(200):
        assert store.read("MATCH (c:Company) RETURN c.id AS id") == [{"id": "kept"}]
    with store._conn() as later:
        assert later is first
    store.close()


def test_a_transaction_its_work_refused_gives_its_connection_back_for_reuse(tmp_path):
    """An If-Match conflict or a claim already taken ends a write transaction with an error many
    times a minute under load; once rolled back, its connection is clean, and closing it threw away
    ~30 prepared statements that the next connection prepared again with the GIL held (issue 17)."""
    store = EmbeddedStore(tmp_path / "db.lbug", buffer_pool_mb=64)
    store.ensure_schema()
    upsert_nodes(store, "Company", [{"id": "kept"}])
    with store._conn() as first:
        pass

    def refuse(tx):
        tx.run("MATCH (c:Company {id: 'kept'}) SET c.name_zh = 'half-done'")
        raise LookupError("the version moved on")

    for _ in range(3):
        with pytest.raises(LookupError):
            store.transaction(refuse)
    assert store.read("MATCH (c:Company) RETURN c.name_zh AS name") == [{"name": None}]
    with store._conn() as later:
        assert later is first
    store.close()


def test_statements_skip_the_clients_json_rewrite_only_where_it_could_change_nothing():
    """The ladybug client searched every statement once per parameter for `to_json($name)` (0.44 ms for
    a 32-parameter CREATE, inside the write lock); a statement without that text is sent as it is, any
    other still goes the client's way, and either way the client is given what it gave before."""
    from ladybug.connection import Connection

    patched = Connection._normalize_parameters_for_pybind
    assert patched.skips_without_to_json
    create = "CREATE (n:Company {" + ", ".join(f"p{i}: $p{i}" for i in range(32)) + "}) RETURN n.id AS id"
    cases = [(create, {f"p{i}": f"v{i}" for i in range(32)}),
             ("UNWIND $ids AS i MATCH (l:Lead {id: i}) RETURN l.id AS id", {"ids": ["a", "b"]}),
             ("RETURN to_json($x) AS j, $y AS y", {"x": {"a": [1, 2]}, "y": "plain"}),
             ("RETURN TO_JSON( $x ) AS j", {"x": [1, 2, 3]}), ("RETURN $to_json AS j", {"to_json": '{"a": 1}'})]
    conn = Connection.__new__(Connection)
    for query, params in cases:
        assert patched(conn, query, params) == patched.original(conn, query, params), query
