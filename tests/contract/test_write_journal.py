"""The embedded store remembers which nodes each write transaction said it changed, so a cache of one
label's nodes can follow the writes instead of reading everything again; a write that did not say
counts as changing anything."""
import threading

from graph import journal


def made(store, ident, **props):
    store.write("CREATE (c:Company {id: $id}) SET c.employees = $n", {"id": ident, "n": props.get("n", 1)},
                touches={"Company": [ident]})


def test_a_write_that_names_its_nodes_is_journalled_by_label(embedded_store):
    since = embedded_store.writes
    made(embedded_store, "c1")
    made(embedded_store, "c2")
    assert embedded_store.changed("Company", since) == (since + 2, {"c1", "c2"})
    assert embedded_store.changed("Lead", since) == (since + 2, set())
    assert embedded_store.changed("Company", since + 1) == (since + 2, {"c2"})
    assert embedded_store.changed("Company", since + 2) == (since + 2, set())


def test_a_write_that_says_nothing_makes_every_label_unknown(embedded_store):
    since = embedded_store.writes
    made(embedded_store, "c1")
    embedded_store.write("MATCH (c:Company {id: 'c1'}) SET c.employees = 7")
    assert embedded_store.changed("Company", since) == (since + 2, None)
    assert embedded_store.changed("Lead", since) == (since + 2, None)
    made(embedded_store, "c2")
    assert embedded_store.changed("Company", since + 2) == (since + 3, {"c2"}), "later writes are known again"


def test_reads_inside_a_write_transaction_do_not_count_as_writes(embedded_store):
    since = embedded_store.writes

    def work(tx):
        tx.run("MATCH (c:Company) RETURN count(c) AS n")
        tx.run("CREATE (c:Company {id: 'c9'})", touches={"Company": ["c9"]})
        tx.run("MATCH (c:Company {id: 'c9'}) RETURN c.created_at AS created, c.id AS reset_id")  # words near CREATE, SET
    embedded_store.transaction(work)
    assert embedded_store.changed("Company", since) == (since + 1, {"c9"})


def test_a_rolled_back_transaction_leaves_no_entry(embedded_store):
    since = embedded_store.writes

    def work(tx):
        tx.run("CREATE (c:Company {id: 'gone'})", touches={"Company": ["gone"]})
        raise RuntimeError("changed my mind")
    try:
        embedded_store.transaction(work)
    except RuntimeError:
        pass
    assert embedded_store.changed("Company", since) == (since, set())


def test_when_the_journal_no_longer_reaches_back_the_changes_are_unknown(tmp_path, schema_template, monkeypatch):
    from tests.conftest import store_from_template

    monkeypatch.setattr(journal, "JOURNAL", 3)
    store = store_from_template(schema_template, tmp_path)
    try:
        since = store.writes
        for i in range(4):
            made(store, f"c{i}")
        assert store.changed("Company", since) == (since + 4, None)
        assert store.changed("Company", since + 1) == (since + 4, {"c1", "c2", "c3"})
    finally:
        store.close()


def test_the_count_and_the_journal_agree_under_concurrent_writers(embedded_store):
    since = embedded_store.writes
    threads = [threading.Thread(target=lambda t=t: [made(embedded_store, f"t{t}-{i}") for i in range(10)])
               for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    now, ids = embedded_store.changed("Company", since)
    assert now == since + 40 and len(ids) == 40
