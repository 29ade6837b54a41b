"""A bad file gets every problem listed with file, row and column, and nothing is written."""
from __future__ import annotations

import pytest

from crm.library.imports.problems import ImportFailed
from crm.library.imports.run import import_chains, import_companies
from graph.cypher import counts
from tests.factories.files import LINKS, NOW, company, csv_file, reference_store, xlsx_file


@pytest.fixture
def db(tmp_path):
    """An embedded store with the real districts and a three-link chain."""
    store = reference_store(tmp_path)
    yield store
    store.close()


def problems_of(store, path, importer=import_companies):
    before = counts(store)
    with pytest.raises(ImportFailed) as caught:
        importer(store, path, now=NOW)
    assert counts(store) == before, "a refused import wrote something"
    return [str(p) for p in caught.value.problems]


def test_it_lists_every_bad_cell_with_file_row_and_column(db, tmp_path):
    rows = [company(company_id="a", name_en="Alpha", aliases=None)] * 1 + [
        company(company_id=f"c{i}", name_en=f"Firm {i}", aliases=None) for i in range(14)] + [
        company(company_id="bad", name_en="Bad", aliases=None, fg500_rank="abc", country="Germany",
                multinational="maybe", employees="-3", makes="nev.nope", present_in="500999", parent="ghost")]
    found = problems_of(db, csv_file(tmp_path, rows))
    assert found == [
        'companies.csv:17: column country: "Germany" is not a two-letter ISO country code such as CN, DE, US',
        'companies.csv:17: column employees: "-3" is below the smallest allowed value 0',
        'companies.csv:17: column fg500_rank: "abc" is not a whole number',
        'companies.csv:17: column makes: no chain link "nev.nope" (import its chain first)',
        'companies.csv:17: column multinational: "maybe" is not true or false (also accepted: yes/no, 1/0, 是/否)',
        'companies.csv:17: column parent: no company with company_id "ghost" in this file or the store',
        'companies.csv:17: column present_in: no Chongqing district "500999" (use a code such as 500112 or a name)',
    ]


def test_it_reports_problems_on_every_row_not_just_the_first(db, tmp_path):
    rows = [company(company_id=f"c{i}", name_en=f"Firm {i}", aliases=None, fg500_rank="x") for i in range(5)]
    found = problems_of(db, xlsx_file(tmp_path, rows, typed=False))
    assert [p.split(":")[1] for p in found] == ["2", "3", "4", "5", "6"]
    assert all(p.startswith("companies.xlsx:") for p in found)


def test_it_refuses_unknown_and_repeated_columns(db, tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text("company_id,name_en,fg500rank,name_en\nx,X,1,Y\n", encoding="utf-8")
    found = problems_of(db, path)
    assert found[0].startswith("companies.csv:1: column fg500rank: unknown column (known: aliases, company_id")
    assert found[1] == "companies.csv:1: column name_en: appears twice in the header"


def test_it_needs_a_name_for_a_new_company_and_a_year_with_a_rank(db, tmp_path):
    rows = [{"company_id": "nameless", "country": "CN", "fg500_rank": "12"}]
    assert problems_of(db, csv_file(tmp_path, rows)) == [
        "companies.csv:2: column fg500_year: is needed when fg500_rank is given",
        "companies.csv:2: column name_zh: a new company needs name_zh or name_en",
    ]


def test_it_refuses_the_same_company_twice_in_one_file(db, tmp_path):
    rows = [company(company_id="a"), company(company_id="a", name_en="Other"), company(company_id=""),
            company(company_id="", name_zh=None, name_en="BOSCH", aliases=None)]
    found = problems_of(db, csv_file(tmp_path, rows))
    assert 'companies.csv:3: column company_id: "a" is also in row 2' in found
    assert any(p.startswith("companies.csv:4:") and "looks like the company in row 2" in p for p in found)
    assert any(p.startswith("companies.csv:5:") and "looks like the company in row" in p for p in found)


def test_it_lists_chain_problems_the_same_way(db, tmp_path):
    rows = LINKS + [
        {"chain_id": "nev", "tier": "pillar", "link_id": "nev.pack", "segment": "sideways", "position": "0",
         "feeds": "nev.pack"},
        {"chain_id": "nev", "link_id": "nev.bms", "feeds": "nev.cathode;ghost.link"},
        {"chain_id": "new_chain", "link_id": "new_chain.a"},
    ]
    rows[2] = dict(rows[2], feeds="nev.cathode")  # vehicle → cathode closes a cycle
    found = problems_of(db, csv_file(tmp_path, rows, name="chains.csv"), import_chains)
    assert 'chains.csv:4: column feeds: makes a FEEDS cycle: nev.vehicle → nev.cathode → nev.cell → nev.vehicle' \
        in found
    assert 'chains.csv:5: column feeds: a link cannot feed itself' in found
    assert 'chains.csv:5: column position: "0" is below the smallest allowed value 1' in found
    assert 'chains.csv:5: column segment: "sideways" is not one of: downstream, midstream, upstream' in found
    assert 'chains.csv:5: column tier: "pillar" differs from "lead" given for chain nev in row 2' in found
    assert 'chains.csv:6: column feeds: no chain link "ghost.link" in this file or the store' in found
    assert 'chains.csv:7: column chain_name_zh: new chain "new_chain" needs chain_name_zh or chain_name_en' in found


def test_it_refuses_to_move_a_link_to_another_chain(db, tmp_path):
    rows = [{"chain_id": "electronics", "chain_name_zh": "电子", "link_id": "nev.cell"}]
    assert problems_of(db, csv_file(tmp_path, rows, name="chains.csv"), import_chains) == [
        'chains.csv:2: column chain_id: link "nev.cell" belongs to chain "nev"; links cannot move between chains']
