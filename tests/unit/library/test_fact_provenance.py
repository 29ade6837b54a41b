"""Each presence and link made says where it comes from and how old that is: the file it came in by, the row's
citation and the source's day. A later import adds its citation beside the first, never over it. Both engines."""
from __future__ import annotations

from datetime import date

import pytest

from crm.base.access import SYSTEM
from crm.library.imports.problems import ImportFailed
from crm.library.imports.run import import_companies
from crm.library.presence import end_presence, restore_presence
from tests.factories.files import NOW, company, csv_file, load_reference


@pytest.fixture
def db(store, tmp_path):
    load_reference(store, tmp_path)
    return store


def facts(store):
    return {rel: store.read(f"MATCH (:Company)-[r:{rel}]->(x) RETURN r.source AS source, r.sources AS sources, "
                            "r.source_date AS day ORDER BY x.id")
            for rel in ("PRESENT_IN", "MAKES")}


def load(db, tmp_path, name, **row):
    return import_companies(db, csv_file(tmp_path, [company(company_id="bosch", **row)], name=name), now=NOW)


def test_an_imported_fact_cites_its_file_the_rows_source_and_its_day(db, tmp_path):
    load(db, tmp_path, "firms.csv", source="Bosch annual report 2024", source_date="2025-03-20")
    cited = {"source": "firms.csv: Bosch annual report 2024", "sources": ["firms.csv: Bosch annual report 2024"],
             "day": date(2025, 3, 20)}
    assert facts(db) == {"PRESENT_IN": [cited], "MAKES": [cited]}


def test_a_row_without_a_source_still_names_its_file_and_has_no_day(db, tmp_path):
    load(db, tmp_path, "bare.csv", source=None)
    assert {(f["source"], f["day"]) for fs in facts(db).values() for f in fs} == {("bare.csv", None)}


def test_a_second_source_of_the_same_fact_is_added_beside_the_first(db, tmp_path):
    load(db, tmp_path, "seed.csv", source="seed row", source_date="2023-05-01")
    load(db, tmp_path, "fair.csv", source="trade fair list", source_date="2024-11-08")
    both = {"source": "seed.csv: seed row", "sources": ["seed.csv: seed row", "fair.csv: trade fair list"],
            "day": date(2024, 11, 8)}
    assert facts(db) == {"PRESENT_IN": [both], "MAKES": [both]}


def test_an_older_second_source_keeps_the_newest_day_and_the_same_file_again_writes_nothing(db, tmp_path):
    load(db, tmp_path, "seed.csv", source="seed row", source_date="2024-11-08")
    load(db, tmp_path, "old.csv", source="old press report", source_date="2014-11-05")
    again = load(db, tmp_path, "old.csv", source="old press report", source_date="2014-11-05")
    assert not again.changed
    assert {f["day"] for fs in facts(db).values() for f in fs} == {date(2024, 11, 8)}
    assert {len(f["sources"]) for fs in facts(db).values() for f in fs} == {2}


def test_the_rank_keeps_where_its_list_was_read(db, tmp_path):
    load(db, tmp_path, "firms.csv", fg500_source="fortune.com/ranking/global500/2024")
    assert db.read("MATCH (c:Company {id: 'bosch'}) RETURN c.fg500_rank AS rank, c.fg500_year AS year, "
                   "c.fg500_source AS source") == [
        {"rank": 107, "year": 2024, "source": "fortune.com/ranking/global500/2024"}]


@pytest.mark.parametrize("day, message", [("2024/11/08", "is not a date (YYYY-MM-DD)"),
                                          ("2099-01-01", "is after today")])
def test_a_bad_source_date_is_refused_with_its_row_and_nothing_is_written(db, tmp_path, day, message):
    with pytest.raises(ImportFailed) as caught:
        load(db, tmp_path, "bad.csv", source_date=day)
    assert "bad.csv:2: column source_date: " in str(caught.value.problems[0])
    assert message in str(caught.value.problems[0])
    assert db.read("MATCH (c:Company {id: 'bosch'}) RETURN c.id AS id") == []


def test_a_presence_ended_and_restored_keeps_its_sources_and_day(db, tmp_path):
    load(db, tmp_path, "seed.csv", source="seed row", source_date="2023-05-01", present_in="500106")
    load(db, tmp_path, "fair.csv", source="trade fair list", source_date="2024-11-08", present_in="500106")
    end_presence(db, "bosch", "500106", until=date(2025, 1, 1), reason="exit", actor=SYSTEM, now=NOW)
    assert db.read("MATCH (:Company)-[r:WAS_PRESENT_IN]->() RETURN r.sources AS sources, r.source_date AS day") == [
        {"sources": ["seed.csv: seed row", "fair.csv: trade fair list"], "day": date(2024, 11, 8)}]
    restore_presence(db, "bosch", "500106", actor=SYSTEM, now=NOW)
    assert facts(db)["PRESENT_IN"] == [{"source": "seed.csv: seed row", "day": date(2024, 11, 8),
                                        "sources": ["seed.csv: seed row", "fair.csv: trade fair list"]}]


def test_a_presence_without_sources_ended_and_restored_stays_without(db, tmp_path):
    load(db, tmp_path, "seed.csv", present_in="500106")
    db.write("MATCH (c:Company {id: 'bosch'}) MATCH (d:District {id: '500103'}) MERGE (c)-[:PRESENT_IN]->(d)")
    end_presence(db, "bosch", "500103", until=date(2025, 1, 1), reason="exit", actor=SYSTEM, now=NOW)
    restore_presence(db, "bosch", "500103", actor=SYSTEM, now=NOW)
    assert db.read("MATCH (:Company {id: 'bosch'})-[r:PRESENT_IN]->(:District {id: '500103'}) "
                   "RETURN r.source AS source, r.sources AS sources, r.source_date AS day") == [
        {"source": None, "sources": None, "day": None}]
