"""Re-importing updates by key, never duplicates; names match when normalised; doubt is reported."""
from __future__ import annotations

from datetime import date

import pytest

from crm.library.imports.problems import ImportFailed
from crm.library.imports.run import import_chains, import_companies
from graph.cypher import count_nodes, count_rels, counts
from scoring.projection import makers_by_district
from tests.factories.files import LINKS, NOW, company, csv_file, reference_store, xlsx_file


@pytest.fixture
def db(tmp_path):
    """An embedded store with the real districts and a three-link chain."""
    store = reference_store(tmp_path)
    yield store
    store.close()


@pytest.fixture
def bosch(db, tmp_path):
    """Robert Bosch GmbH (DE), known as BOSCH and 博世, imported without an id."""
    import_companies(db, csv_file(tmp_path, [company()], name="first.csv"), now=NOW)
    return db.read("MATCH (c:Company) RETURN c.id AS id")[0]["id"]


def companies(store):
    return store.read("MATCH (c:Company) RETURN c.id AS id, c.name_en AS name_en, c.aliases AS aliases, "
                      "c.fg500_rank AS rank, c.version AS version ORDER BY c.id")


def test_it_updates_by_company_id_instead_of_duplicating(db, tmp_path):
    import_companies(db, csv_file(tmp_path, [company(company_id="bosch")]), now=NOW)
    report = import_companies(db, xlsx_file(tmp_path, [company(company_id="bosch", fg500_rank="99")]), now=NOW)
    assert report.nodes["Company"] == {"created": 0, "updated": 1, "unchanged": 0}
    [stored] = companies(db)
    assert (stored["id"], stored["rank"], stored["version"]) == ("bosch", 99, 2)


def test_it_writes_nothing_when_the_same_file_comes_again(db, tmp_path):
    path = csv_file(tmp_path, [company(company_id="bosch"), company(company_id="catl", name_zh="宁德时代",
                                                                     name_en="CATL", aliases=None, country="CN")])
    import_companies(db, path, now=NOW)
    before = counts(db)
    report = import_companies(db, path, now=NOW)
    assert report.nodes["Company"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert not report.changed and counts(db) == before


def test_it_keeps_values_an_empty_cell_does_not_mention(db, tmp_path, bosch):
    import_companies(db, csv_file(tmp_path, [{"company_id": bosch, "employees": "429000"}]), now=NOW)
    [stored] = companies(db)
    assert stored["rank"] == 107 and stored["name_en"] == "Robert Bosch GmbH"


@pytest.mark.parametrize("name", ["BOSCH", "Robert Bosch", "ROBERT BOSCH GMBH", "robert-bosch gmbh", "博世"])
def test_it_matches_a_name_variant_to_the_same_company(db, tmp_path, bosch, name):
    report = import_companies(db, csv_file(tmp_path, [{"name_en": name, "country": "DE", "employees": "1"}]),
                              now=NOW)
    assert report.nodes["Company"]["created"] == 0
    assert count_nodes(db, "Company") == 1


def test_it_keeps_the_stored_name_and_learns_the_new_one_as_an_alias(db, tmp_path, bosch):
    import_companies(db, csv_file(tmp_path, [{"name_en": "Robert Bosch", "country": "DE"}]), now=NOW)
    [stored] = companies(db)
    assert stored["name_en"] == "Robert Bosch GmbH"
    assert stored["aliases"] == ["BOSCH", "博世", "Robert Bosch"]


def test_it_reports_a_name_match_from_another_country_as_ambiguous(db, tmp_path, bosch):
    with pytest.raises(ImportFailed) as caught:
        import_companies(db, csv_file(tmp_path, [{"name_en": "Bosch", "country": "US"}]), now=NOW)
    [problem] = caught.value.problems
    assert str(problem).startswith('companies.csv:2: "Bosch" has the name of a company from another country')
    assert f"({bosch})" in str(problem) and "add company_id" in str(problem)
    assert count_nodes(db, "Company") == 1


def test_it_reports_a_near_match_instead_of_merging(db, tmp_path, bosch):
    with pytest.raises(ImportFailed) as caught:
        import_companies(db, csv_file(tmp_path, [{"name_en": "Bosh GmbH", "country": "DE"}]), now=NOW)
    assert '"Bosh GmbH" is close to: 罗伯特·博世有限公司' in str(caught.value.problems[0])
    assert count_nodes(db, "Company") == 1


def test_it_reports_a_name_shared_by_several_companies(db, tmp_path):
    rows = [company(company_id="bosch_de", aliases="Bosch"),
            company(company_id="bosch_cn", name_zh="博世（中国）投资有限公司", name_en="Bosch China", aliases="Bosch")]
    import_companies(db, csv_file(tmp_path, rows), now=NOW)
    with pytest.raises(ImportFailed, match="1 ambiguous") as caught:
        import_companies(db, csv_file(tmp_path, [{"name_en": "Bosch"}], name="more.csv"), now=NOW)
    assert "matches several companies by name" in str(caught.value.problems[0])


def test_it_can_skip_ambiguous_rows_and_import_the_rest(db, tmp_path, bosch):
    rows = [{"name_en": "Bosch", "country": "US"}, {"name_en": "Continental AG", "country": "DE"}]
    report = import_companies(db, csv_file(tmp_path, rows), now=NOW, skip_ambiguous=True)
    assert report.nodes["Company"]["created"] == 1 and len(report.skipped) == 1
    assert count_nodes(db, "Company") == 2


def test_it_gives_a_new_company_without_id_a_stable_one(db, tmp_path):
    path = csv_file(tmp_path, [{"name_en": "Continental AG", "country": "DE"}])
    import_companies(db, path, now=NOW)
    [first] = companies(db)
    assert first["id"].startswith("co-")


def test_it_adds_relationships_and_moves_abolished_districts_to_their_successor(db, tmp_path):
    rows = [company(company_id="parent", name_en="Parent", aliases=None, present_in=""),
            company(company_id="jv", name_en="JV", aliases=None, present_in="500105;渝北区", parent="parent",
                    makes="nev.cell;nev.vehicle", supplies="parent")]
    report = import_companies(db, csv_file(tmp_path, rows), now=NOW)
    assert report.relationships == {"MAKES": 3, "PRESENT_IN": 1, "WAS_PRESENT_IN": 2, "SUPPLIES": 1,
                                    "SUBSIDIARY_OF": 1}
    assert db.read("MATCH (:Company {id: 'jv'})-[:PRESENT_IN]->(d:District) RETURN d.id AS id") == [
        {"id": "500157"}]


def test_a_presence_in_an_abolished_district_stays_there_until_the_change_and_is_in_its_successor_after(
        db, tmp_path):
    """Issue 14 item 4: a firm in 渝北区 reads as in 渝北区 before 2025-11-06 and in 两江新区 from then,
    never in 500157 before it existed; a day it began, if given, is kept on the old district."""
    import_companies(db, csv_file(tmp_path, [company(company_id="yb", present_in="渝北区"),
                                             company(company_id="jb", name_en="JB", aliases=None,
                                                     present_in="500105:2019-04-01")]), now=NOW)
    assert makers_by_district(db, as_of=date(2024, 6, 30))["nev.cell"] == {"500112": {"yb"}, "500105": {"jb"}}
    assert makers_by_district(db, as_of=date(2019, 3, 31))["nev.cell"] == {"500112": {"yb"}}
    assert makers_by_district(db)["nev.cell"] == {"500157": {"jb", "yb"}}
    ended = db.read("MATCH (co:Company)-[r:WAS_PRESENT_IN]->(d:District) RETURN co.id AS c, d.id AS d, "
                    "r.since AS since, r.until AS until, r.end_reason AS reason ORDER BY c")
    assert [(r["c"], r["d"], r["since"], r["until"], r["reason"]) for r in ended] == [
        ("jb", "500105", date(2019, 4, 1), date(2025, 11, 6), "redistricting"),
        ("yb", "500112", None, date(2025, 11, 6), "redistricting")]
    assert not db.read("MATCH (g:GapChange) RETURN g.id AS id"), "nobody left: no gap re-opened"


def test_it_records_one_audit_entry_per_import_that_changed_something(db, tmp_path):
    path = csv_file(tmp_path, [company(company_id="bosch")])
    import_companies(db, path, now=NOW)
    import_companies(db, path, now=NOW)
    [entry] = db.read("MATCH (a:AuditEntry {action: 'import', record_label: 'Company'}) RETURN a.actor AS actor")
    assert entry["actor"] == "system"


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(db, tmp_path):
    before = counts(db)
    report = import_companies(db, csv_file(tmp_path, [company()]), now=NOW, dry_run=True)
    assert report.nodes["Company"]["created"] == 1 and counts(db) == before


def test_it_reimports_chains_without_duplicating_links_or_edges(db, tmp_path):
    path = csv_file(tmp_path, LINKS, name="chains.csv")
    report = import_chains(db, path, now=NOW)
    assert report.nodes == {"Chain": {"created": 0, "updated": 0, "unchanged": 1},
                            "ChainNode": {"created": 0, "updated": 0, "unchanged": 3}}
    assert (count_nodes(db, "ChainNode"), count_rels(db, "PART_OF"), count_rels(db, "FEEDS")) == (3, 3, 2)


def test_it_reports_a_new_id_on_a_stored_company_name_instead_of_duplicating(db, tmp_path, bosch):
    with pytest.raises(ImportFailed) as caught:
        import_companies(db, csv_file(tmp_path, [company(company_id="C-0001")]), now=NOW)
    assert f"has a new company_id (C-0001) but the name of: 罗伯特·博世有限公司 ({bosch})" in str(
        caught.value.problems[0])
    assert count_nodes(db, "Company") == 1


def test_a_rank_nobody_could_source_is_stored_as_unknown_and_replaces_a_guess(db, tmp_path, bosch):
    import_companies(db, csv_file(tmp_path, [company(fg500_rank="unknown", fg500_year="")], name="again.csv"),
                     now=NOW)
    assert db.read("MATCH (c:Company) RETURN c.fg500_rank AS rank, c.fg500_unknown AS unknown") == [
        {"rank": None, "unknown": True}]


def test_a_rank_that_is_neither_a_number_nor_unknown_is_refused(db, tmp_path):
    with pytest.raises(ImportFailed) as caught:
        import_companies(db, csv_file(tmp_path, [company(fg500_rank="about 110")]), now=NOW)
    assert "column fg500_rank" in str(caught.value.problems[0])


def test_an_ended_presence_is_imported_with_its_day_and_reason(db, tmp_path):
    import_companies(db, csv_file(tmp_path, [company(company_id="gone", present_in="",
                                                     presence_ended="500112:2022-01-01:shutdown")]), now=NOW)
    rows = db.read("MATCH (:Company {id: 'gone'})-[r:WAS_PRESENT_IN]->(d:District) "
                   "RETURN d.id AS d, r.until AS until, r.end_reason AS reason")
    assert [(r["d"], r["until"].isoformat(), r["reason"]) for r in rows] == [("500112", "2022-01-01", "shutdown")]


@pytest.mark.parametrize("cell, message", [("500112:2022-13-01:shutdown", "is not a date"),
                                           ("500112:2022-01-01:boredom", "is not one of"),
                                           ("500112", "is not district:YYYY-MM-DD:reason"),
                                           ("火星:2022-01-01:exit", "no Chongqing district")])
def test_a_bad_ended_presence_is_refused_with_its_row_and_column(db, tmp_path, cell, message):
    with pytest.raises(ImportFailed) as caught:
        import_companies(db, csv_file(tmp_path, [company(company_id="x", present_in="", presence_ended=cell)]),
                         now=NOW)
    problem = str(caught.value.problems[0])
    assert "column presence_ended" in problem and message in problem


def test_a_presence_can_say_the_day_it_began_and_reads_as_local_only_from_then(db, tmp_path):
    import_companies(db, csv_file(tmp_path, [company(company_id="lj", present_in="500157:2025-11-06")]), now=NOW)
    [row] = db.read("MATCH (:Company {id: 'lj'})-[r:PRESENT_IN]->(d:District) RETURN d.id AS d, r.since AS since")
    assert (row["d"], row["since"]) == ("500157", date(2025, 11, 6))
    assert makers_by_district(db, as_of=date(2025, 11, 5)).get("nev.cell") is None
    assert makers_by_district(db, as_of=date(2025, 11, 6))["nev.cell"] == {"500157": {"lj"}}


@pytest.mark.parametrize("cell, message", [("500157:2024-06-30", "district 500157 exists only from 2025-11-06"),
                                           ("500157:2025-13-01", "is not a date"),
                                           ("500157:2099-01-01", "is after today")])
def test_a_presence_cannot_begin_before_its_district_existed_nor_after_today(db, tmp_path, cell, message):
    with pytest.raises(ImportFailed) as caught:
        import_companies(db, csv_file(tmp_path, [company(company_id="x", present_in=cell)]), now=NOW)
    problem = str(caught.value.problems[0])
    assert "column present_in" in problem and message in problem
    assert count_nodes(db, "Company") == 0
