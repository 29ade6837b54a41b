"""A record, its links and its audit entry are written together or not at all (crm/base/records.py),
on both engines: a create or an edit is one statement each inside the write lock."""
import json

import pytest

from crm.base import records
from crm.base.access import SYSTEM
from crm.errors import NotFound, VersionConflict
from graph.cypher import count_nodes
from tests.factories import NOW, make_reference

LINKS = [("TARGETS", "Company", "catl"), ("FILLS", "ChainNode", "nev.cell"), ("LANDS_IN", "District", None)]


def audit_of(store, record_id):
    return store.read("MATCH (a:AuditEntry) WHERE a.record_id = $id RETURN a.action AS action, a.actor AS actor, "
                      "a.changes AS changes ORDER BY a.at, a.id", {"id": record_id})


def create(store, links=LINKS, **props):
    return store.transaction(lambda tx: records.create(
        tx, "Lead", {"title": "电芯 · 宁德时代", "stage": "identified", **props}, actor=SYSTEM, now=NOW, prefix="lead",
        links=links, derived={"search_text": "电芯 | catl"}))


@pytest.fixture
def world(store):
    make_reference(store)
    return store


def test_a_record_is_created_with_its_links_their_mirrors_and_one_audit_entry(world):
    record = create(world)
    row = world.read("MATCH (l:Lead {id: $id})-[:TARGETS]->(c:Company) MATCH (l)-[:FILLS]->(n:ChainNode) "
                     "RETURN l.company_id AS company, l.link_id AS link, l.district_id AS district, "
                     "l.search_text AS text, l.version AS version, c.id AS c, n.id AS n", {"id": record["id"]})
    assert row == [{"company": "catl", "link": "nev.cell", "district": None, "text": "电芯 | catl", "version": 1,
                    "c": "catl", "n": "nev.cell"}]
    [entry] = audit_of(world, record["id"])
    assert entry["action"] == "create" and entry["actor"] == SYSTEM.username
    assert json.loads(entry["changes"]) == {"id": [None, record["id"]], "title": [None, "电芯 · 宁德时代"],
                                            "stage": [None, "identified"]}


def test_a_link_to_a_missing_record_names_it_and_writes_nothing(world):
    with pytest.raises(NotFound, match="nowhere"):
        create(world, links=[("TARGETS", "Company", "catl"), ("FILLS", "ChainNode", "nowhere")])
    assert count_nodes(world, "Lead") == 0
    assert count_nodes(world, "AuditEntry") == 0


def test_an_edit_and_its_audit_entry_land_together_and_a_stale_one_writes_neither(world):
    record = create(world)
    edited = world.transaction(lambda tx: records.update(tx, "Lead", record["id"], {"title": "新"}, actor=SYSTEM,
                                                               now=NOW, expected_version=1))
    assert edited["version"] == 2 and edited["title"] == "新"
    with pytest.raises(VersionConflict):
        world.transaction(lambda tx: records.update(tx, "Lead", record["id"], {"title": "旧"}, actor=SYSTEM, now=NOW,
                                                    expected_version=1))
    assert world.read("MATCH (l:Lead {id: $id}) RETURN l.title AS t, l.version AS v", {"id": record["id"]}) == [
        {"t": "新", "v": 2}]
    assert [(e["action"], json.loads(e["changes"])) for e in audit_of(world, record["id"])][1:] == [
        ("update", {"title": ["电芯 · 宁德时代", "新"]})]

