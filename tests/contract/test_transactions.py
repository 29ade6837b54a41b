"""A transaction writes all of its work or none of it."""
import pytest

from graph.cypher import count_nodes, upsert_nodes
from graph.errors import ConstraintViolation


def test_a_failing_statement_rolls_back_earlier_ones(store):
    upsert_nodes(store, "Company", [{"id": "taken"}])

    def work(tx):
        tx.run("CREATE (:Company {id: 'fresh'})")
        tx.run("CREATE (:Company {id: 'taken'})")

    with pytest.raises(ConstraintViolation):
        store.transaction(work)
    assert count_nodes(store, "Company") == 1


def test_an_exception_in_python_rolls_back(store):
    def work(tx):
        upsert_nodes(tx, "Company", [{"id": "half"}])
        raise ValueError("validation failed after the first write")

    with pytest.raises(ValueError):
        store.transaction(work)
    assert count_nodes(store, "Company") == 0


def test_work_sees_its_own_writes_and_returns_its_result(store):
    def work(tx):
        upsert_nodes(tx, "Company", [{"id": "a", "employees": 3}])
        return tx.run("MATCH (c:Company) RETURN c.employees AS e")[0]["e"]

    assert store.transaction(work) == 3
    assert count_nodes(store, "Company") == 1
