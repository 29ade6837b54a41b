"""The one schema declaration renders on both engines, idempotently, and guards writes."""
import pytest

from graph.cypher import counts, upsert_nodes
from graph.errors import SchemaError
from graph.schema import SCHEMA


def test_it_creates_nothing_the_second_time(store):
    assert store.ensure_schema() == []


def test_it_knows_every_declared_label_and_type(store):
    report = counts(store)
    assert set(report["nodes"]) == set(SCHEMA.nodes)
    assert set(report["relationships"]) == set(SCHEMA.rels)
    assert all(n == 0 for n in report["nodes"].values())


def test_it_refuses_an_undeclared_property(store):
    with pytest.raises(SchemaError, match="no property 'colour'"):
        upsert_nodes(store, "Company", [{"id": "c1", "colour": "red"}])
    assert counts(store)["nodes"]["Company"] == 0


def test_it_refuses_a_value_of_the_wrong_type(store):
    with pytest.raises(SchemaError, match="fg500_rank expects INT64"):
        upsert_nodes(store, "Company", [{"id": "c1", "fg500_rank": "twelve"}])


def test_it_refuses_an_unknown_label(store):
    with pytest.raises(SchemaError, match="unknown label"):
        upsert_nodes(store, "Spaceship", [{"id": "x"}])
