"""Reads with parameters: filters, order, paging, aggregates, and the gap query scoring needs."""
from graph.cypher import merge_rels, upsert_nodes


def seed_companies(store, n=25):
    upsert_nodes(store, "Company", [{"id": f"c{i:02d}", "employees": i * 10, "country": "DE" if i % 2 else "JP"}
                                    for i in range(n)])


def test_it_filters_orders_and_pages(store):
    seed_companies(store)
    page = store.read(
        "MATCH (c:Company) WHERE c.country = $country RETURN c.id AS id "
        "ORDER BY c.employees DESC SKIP $skip LIMIT $limit",
        {"country": "DE", "skip": 2, "limit": 3})
    assert [r["id"] for r in page] == ["c19", "c17", "c15"]


def test_it_counts_and_groups(store):
    seed_companies(store)
    rows = store.read("MATCH (c:Company) RETURN c.country AS country, count(c) AS n ORDER BY country")
    assert rows == [{"country": "DE", "n": 12}, {"country": "JP", "n": 13}]


def test_it_filters_by_a_list_parameter(store):
    seed_companies(store, 5)
    rows = store.read("MATCH (c:Company) WHERE c.id IN $ids RETURN c.id AS id ORDER BY id", {"ids": ["c01", "c03"]})
    assert [r["id"] for r in rows] == ["c01", "c03"]


def test_it_finds_chain_links_with_no_local_maker(store):
    upsert_nodes(store, "ChainNode", [{"id": "nev.cell"}, {"id": "nev.separator"}, {"id": "nev.motor"}])
    upsert_nodes(store, "Company", [{"id": "local"}, {"id": "abroad"}])
    upsert_nodes(store, "District", [{"id": "500112"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "local", "dst": "500112"}])
    merge_rels(store, "MAKES", "Company", "ChainNode",
               [{"src": "local", "dst": "nev.cell"}, {"src": "abroad", "dst": "nev.separator"}])
    rows = store.read(
        "MATCH (l:ChainNode) WHERE NOT EXISTS { MATCH (c:Company)-[:MAKES]->(l) "
        "WHERE EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } } RETURN l.id AS id ORDER BY id")
    assert [r["id"] for r in rows] == ["nev.motor", "nev.separator"]


def test_it_counts_local_makers_per_link_in_one_query(store):
    upsert_nodes(store, "ChainNode", [{"id": "a"}, {"id": "b"}])
    upsert_nodes(store, "Company", [{"id": "x"}, {"id": "y"}])
    upsert_nodes(store, "District", [{"id": "500112"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "x", "dst": "500112"}, {"src": "y", "dst": "500112"}])
    merge_rels(store, "MAKES", "Company", "ChainNode",
               [{"src": "x", "dst": "a"}, {"src": "y", "dst": "a"}, {"src": "x", "dst": "b"}])
    rows = store.read(
        "MATCH (l:ChainNode) RETURN l.id AS id, "
        "COUNT { MATCH (c:Company)-[:MAKES]->(l) WHERE EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } } AS local "
        "ORDER BY id")
    assert rows == [{"id": "a", "local": 2}, {"id": "b", "local": 1}]


def test_optional_match_and_collect_distinct(store):
    upsert_nodes(store, "Company", [{"id": "x"}, {"id": "y"}])
    upsert_nodes(store, "District", [{"id": "500112"}, {"id": "500103"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "x", "dst": "500112"}, {"src": "x", "dst": "500103"}])
    rows = store.read(
        "MATCH (c:Company) OPTIONAL MATCH (c)-[:PRESENT_IN]->(d:District) "
        "RETURN c.id AS id, collect(DISTINCT d.id) AS ds ORDER BY id")
    assert sorted(rows[0]["ds"]) == ["500103", "500112"] and rows[1] == {"id": "y", "ds": []}
