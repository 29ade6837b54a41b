"""`chainlead init` loads the seeds on both engines, completely and idempotently.

The seeds load once per engine (a module-scoped twin of the `store` fixture): loading them per
test would cost seconds each on Neo4j. Tests only read, except the second load, which must
change nothing.
"""
from __future__ import annotations

import csv
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from crm.library.seeding import SEEDS_DIR, boundaries_path, load_boundaries, load_seeds
from graph.cypher import count_nodes, count_rels, counts
from graph.engines.embedded import EmbeddedStore
from graph.meta import initialise
from tests.conftest import neo4j_config, wipe

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)  # the seeds cite the data review of that day


def csv_rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def seeded(request, tmp_path_factory):
    if request.param == "embedded":
        store = EmbeddedStore(tmp_path_factory.mktemp("seeds") / "seeds.lbug", buffer_pool_mb=256)
    else:
        from graph.engines.neo4j import Neo4jStore

        store = Neo4jStore(neo4j_config())
        wipe(store)
    initialise(store, now=NOW)
    load_seeds(store, now=NOW)
    yield store
    store.close()


def test_it_loads_every_seed_file(seeded):
    links = csv_rows("chains.csv")
    assert count_nodes(seeded, "District") == 42
    assert count_nodes(seeded, "Chain") == len({r["chain_id"] for r in links})
    assert count_nodes(seeded, "ChainNode") == len(links)
    assert count_nodes(seeded, "Company") == len(csv_rows("companies.csv"))
    assert (count_nodes(seeded, "EventSeries"), count_nodes(seeded, "Event")) == (8, 26)
    assert count_rels(seeded, "EDITION_OF") == 26 and count_rels(seeded, "FOCUSES_ON") > 20


def test_loading_again_changes_no_count(seeded):
    before = counts(seeded)
    summary = load_seeds(seeded, now=NOW)
    assert summary.line() == "0 nodes created, 0 updated, 0 relationships added"
    assert counts(seeded) == before


def test_jiangbei_is_abolished_and_succeeded_by_liangjiang(seeded):
    rows = seeded.read("MATCH (d:District {id: '500105'})-[s:SUCCEEDED_BY]->(n:District) "
                       "RETURN d.valid_to AS valid_to, n.id AS successor, s.effective_on AS effective, "
                       "n.valid_from AS since")
    assert rows == [{"valid_to": date(2025, 11, 6), "successor": "500157", "effective": date(2025, 11, 6),
                     "since": date(2025, 11, 6)}]


def test_a_presence_in_an_abolished_district_lands_in_its_successor(seeded):
    in_yubei = [r["company_id"] for r in csv_rows("companies.csv") if r["present_in"] == "500112"]
    assert in_yubei
    found = seeded.read("UNWIND $ids AS id MATCH (c:Company {id: id})-[:PRESENT_IN]->(d:District) "
                        "RETURN DISTINCT d.id AS district", {"ids": in_yubei})
    assert found == [{"district": "500157"}]
    assert seeded.read("MATCH (:Company)-[:PRESENT_IN]->(d:District) WHERE d.id IN ['500105', '500112'] "
                       "RETURN count(*) AS n") == [{"n": 0}]


def test_every_link_is_part_of_its_chain(seeded):
    assert seeded.read("MATCH (l:ChainNode) WHERE NOT EXISTS { MATCH (l)-[:PART_OF]->(c:Chain) "
                       "WHERE c.id = l.chain_id } RETURN count(l) AS n") == [{"n": 0}]
    assert count_rels(seeded, "PART_OF") == count_nodes(seeded, "ChainNode")


def test_feeds_edges_are_those_of_the_csv(seeded):
    expected = sum(len([t for t in r["feeds"].split(";") if t]) for r in csv_rows("chains.csv"))
    assert count_rels(seeded, "FEEDS") == expected


def test_companies_carry_their_matching_keys_and_relations(seeded):
    [bosch] = seeded.read("MATCH (c:Company {id: 'bosch'}) RETURN c.name_norm AS norm, c.aliases AS aliases, "
                          "c.fg500_rank AS rank")  # the CSV says "Bosch;BOSCH;博世": case is not a new alias
    assert bosch == {"norm": "robertbosch", "aliases": ["Bosch", "博世"], "rank": None}, "its estimated rank was removed"
    joint = seeded.read("MATCH (:Company {id: 'changan_ford'})-[:SUBSIDIARY_OF]->(p:Company) "
                        "RETURN p.id AS id ORDER BY id")
    assert joint == [{"id": "changan"}, {"id": "ford"}]


def test_events_past_are_held(seeded):
    rows = seeded.read("MATCH (e:Event)-[:EDITION_OF]->(s:EventSeries {id: 'ciie'}) "
                       "RETURN e.id AS id, e.status AS status, e.kind AS kind ORDER BY id")
    assert rows == [{"id": f"ciie-{y}", "status": "held", "kind": "expo"} for y in (2022, 2023, 2024, 2025)]


def test_zones_span_their_districts(seeded):
    rows = seeded.read("MATCH (:District {id: 'Z-GAOXIN'})-[:SPANS]->(d:District) RETURN d.id AS id ORDER BY id")
    assert [r["id"] for r in rows] == ["500106", "500107", "500109", "500116", "500120"]


def test_the_map_finds_a_boundary_for_every_current_division(seeded):
    assert boundaries_path() == Path(SEEDS_DIR) / "boundaries.geojson"
    drawn = {f["properties"]["code"] for f in load_boundaries()["features"]}
    current = {r["id"] for r in seeded.read("MATCH (d:District) WHERE d.valid_to IS NULL AND d.kind <> 'zone' "
                                            "RETURN d.id AS id")}
    assert current <= drawn


def test_no_mainland_company_is_an_fdi_candidate_and_every_one_is_offered_apart(seeded):
    from scoring.ranking import rank_candidates

    mainland = {r["company_id"] for r in csv_rows("companies.csv") if r["country"].strip().upper() == "CN"}
    fdi = rank_candidates(seeded, now=NOW)
    assert len(fdi) > 0 and not {c.company_id for c in fdi} & mainland
    partners = {c.company_id for c in rank_candidates(seeded, now=NOW, market="domestic")}
    assert partners and partners <= mainland


@pytest.mark.parametrize("rel", ["PRESENT_IN", "MAKES"])
def test_every_presence_and_link_made_names_the_seed_row_it_comes_from(seeded, rel):
    facts = seeded.read(f"MATCH (c:Company)-[r:{rel}]->() RETURN c.id AS id, c.source AS row, r.source AS source")
    assert facts
    for fact in facts:
        assert fact["source"] and fact["source"].startswith("companies.csv"), fact
        if fact["row"]:
            assert fact["row"] in fact["source"], fact
