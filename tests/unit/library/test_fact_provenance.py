"""Each presence and link made says where it comes from: the file it came in by and the row's citation."""
from __future__ import annotations

import pytest

from crm.library.imports.run import import_companies
from tests.factories.files import NOW, company, csv_file, reference_store


@pytest.fixture
def db(tmp_path):
    store = reference_store(tmp_path)
    yield store
    store.close()


def fact_sources(store):
    return {rel: store.read(f"MATCH (:Company)-[r:{rel}]->(x) RETURN x.id AS to, r.source AS source")
            for rel in ("PRESENT_IN", "MAKES")}


def test_an_imported_fact_cites_its_file_and_the_rows_source(db, tmp_path):
    import_companies(db, csv_file(tmp_path, [company(source="Bosch annual report 2024")], name="firms.csv"), now=NOW)
    assert {rel: [f["source"] for f in facts] for rel, facts in fact_sources(db).items()} == {
        "PRESENT_IN": ["firms.csv: Bosch annual report 2024"], "MAKES": ["firms.csv: Bosch annual report 2024"]}


def test_a_row_without_a_source_still_names_its_file(db, tmp_path):
    import_companies(db, csv_file(tmp_path, [company(source=None)], name="bare.csv"), now=NOW)
    assert {f["source"] for facts in fact_sources(db).values() for f in facts} == {"bare.csv"}


def test_a_second_import_of_the_same_fact_does_not_erase_the_first_source(db, tmp_path):
    import_companies(db, csv_file(tmp_path, [company(company_id="bosch", source="seed row")], name="seed.csv"),
                     now=NOW)
    import_companies(db, csv_file(tmp_path, [company(company_id="bosch", source="trade fair list")],
                                  name="fair.csv"), now=NOW)
    assert {f["source"] for facts in fact_sources(db).values() for f in facts} == {"seed.csv: seed row"}
