"""The one schema declaration renders on both engines, idempotently, and guards writes."""
import pytest

from graph.cypher import counts, upsert_nodes
from graph.errors import SchemaError
from crm.pipeline.leads import SORTS
from graph.schema import SCHEMA, node


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


def test_neo4j_indexes_what_the_lead_lists_filter_and_sort_on(neo4j_store):
    rows = neo4j_store.read("SHOW INDEXES YIELD labelsOrTypes, properties RETURN labelsOrTypes, properties")
    indexed = {p for r in rows if "Lead" in (r["labelsOrTypes"] or []) for p in r["properties"]}
    sorted_on = {expr.split(".", 1)[1] for expr in SORTS.values()}
    assert sorted_on | {"archived", "stage", "priority", "owner_id", "district_id", "chain_id", "source"} <= indexed


def test_a_label_cannot_index_a_property_it_lacks():
    with pytest.raises(SchemaError, match="cannot index"):
        node("Thing", "name", indexed="colour")
