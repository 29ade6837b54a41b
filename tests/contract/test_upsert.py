"""Upserts by key and relationship merges: idempotent, batched, partial updates keep the rest."""
from graph.cypher import count_nodes, count_rels, merge_rels, upsert_nodes


def test_it_updates_by_key_instead_of_duplicating(store):
    upsert_nodes(store, "Company", [{"id": "bosch", "name_en": "Bosch", "country": "DE"}])
    upsert_nodes(store, "Company", [{"id": "bosch", "name_en": "Robert Bosch GmbH"}])
    rows = store.read("MATCH (c:Company) RETURN c.name_en AS name, c.country AS country")
    assert rows == [{"name": "Robert Bosch GmbH", "country": "DE"}]


def test_it_accepts_rows_of_different_shapes_in_one_call(store):
    upsert_nodes(store, "Company", [{"id": "a", "name_en": "A"}, {"id": "b", "country": "JP"}])
    rows = store.read("MATCH (c:Company) RETURN c.id AS id, c.name_en AS n, c.country AS k ORDER BY c.id")
    assert rows == [{"id": "a", "n": "A", "k": None}, {"id": "b", "n": None, "k": "JP"}]


def test_it_merges_a_relationship_once(store):
    upsert_nodes(store, "Company", [{"id": "catl"}])
    upsert_nodes(store, "ChainNode", [{"id": "nev.cell"}])
    rows = [{"src": "catl", "dst": "nev.cell", "source": "seed"}]
    assert merge_rels(store, "MAKES", "Company", "ChainNode", rows) == 1
    assert merge_rels(store, "MAKES", "Company", "ChainNode", rows) == 1
    assert count_rels(store, "MAKES") == 1


def test_it_skips_relationships_whose_endpoint_is_missing(store):
    upsert_nodes(store, "Company", [{"id": "catl"}])
    upsert_nodes(store, "ChainNode", [{"id": "nev.cell"}])
    rows = [{"src": "catl", "dst": "nev.cell"}, {"src": "ghost", "dst": "nev.cell"}]
    assert merge_rels(store, "MAKES", "Company", "ChainNode", rows) == 1
    assert count_nodes(store, "Company") == 1


def test_it_treats_an_empty_batch_as_nothing_to_do(store):
    assert upsert_nodes(store, "Company", []) == 0
    assert merge_rels(store, "MAKES", "Company", "ChainNode", []) == 0


def test_it_writes_many_rows_in_batches(store):
    rows = [{"id": f"c{i:05d}", "employees": i} for i in range(12_000)]
    assert upsert_nodes(store, "Company", rows, batch=5000) == 12_000
    assert store.read("MATCH (c:Company) RETURN sum(c.employees) AS s")[0]["s"] == sum(range(12_000))


def test_a_relationship_type_may_join_several_label_pairs(store):
    upsert_nodes(store, "FollowUp", [{"id": "f1"}])
    upsert_nodes(store, "Lead", [{"id": "l1"}])
    upsert_nodes(store, "Project", [{"id": "p1"}])
    merge_rels(store, "ABOUT", "FollowUp", "Lead", [{"src": "f1", "dst": "l1"}])
    merge_rels(store, "ABOUT", "FollowUp", "Project", [{"src": "f1", "dst": "p1"}])
    assert store.read("MATCH (:FollowUp)-[:ABOUT]->(l:Lead) RETURN l.id AS id") == [{"id": "l1"}]
    assert store.read("MATCH (:FollowUp)-[:ABOUT]->(p:Project) RETURN p.id AS id") == [{"id": "p1"}]
