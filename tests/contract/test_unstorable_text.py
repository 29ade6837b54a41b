"""Text the engine cannot store fails that one write cleanly and never poisons the next one.

A lone surrogate ("\\udc80") cannot be converted to the engine's string type: on Ladybug the
conversion fails before the statement runs, so the transaction stays open unless the store rolls
it back. The connection must never go back to the pool with its transaction open (issue 12, item 1).
"""
import threading

import pytest

from graph.cypher import count_nodes, upsert_nodes
from graph.errors import StoreError

BAD = "\udc80"


def test_a_failed_conversion_leaves_the_next_write_working(store):
    with pytest.raises(StoreError):
        store.write("CREATE (:Company {id: $id, name_zh: $name})", {"id": "bad", "name": BAD})
    upsert_nodes(store, "Company", [{"id": "good", "name_zh": "好"}])
    store.transaction(lambda tx: tx.run("CREATE (:Company {id: 'also-good'})"))
    assert count_nodes(store, "Company") == 2


def test_a_failed_conversion_inside_a_larger_transaction_rolls_all_of_it_back(store):
    def work(tx):
        tx.run("CREATE (:Company {id: 'first'})")
        tx.run("CREATE (:Company {id: $id, name_zh: $name})", {"id": "second", "name": BAD})

    with pytest.raises(StoreError):
        store.transaction(work)
    upsert_nodes(store, "Company", [{"id": "after"}])
    assert [r["id"] for r in store.read("MATCH (c:Company) RETURN c.id AS id")] == ["after"]


def test_a_failed_read_leaves_the_pool_working(store):
    with pytest.raises(StoreError):
        store.read("MATCH (c:Company) WHERE c.name_zh = $name RETURN c.id AS id", {"name": BAD})
    assert store.read("RETURN 1 AS one") == [{"one": 1}]


def test_many_threads_mixing_bad_and_good_writes_lose_no_good_write(store):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        for i in range(15):
            name = BAD if (n + i) % 3 == 0 else f"公司{n}-{i}"
            try:
                store.write("CREATE (:Company {id: $id, name_zh: $name})", {"id": f"c{n}-{i}", "name": name})
            except StoreError as exc:
                if name != BAD:
                    errors.append(exc)
            except BaseException as exc:  # noqa: BLE001 — any other failure is the bug
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    good = {f"c{n}-{i}" for n in range(8) for i in range(15) if (n + i) % 3 != 0}
    assert {r["id"] for r in store.read("MATCH (c:Company) RETURN c.id AS id")} == good
