"""Presence ends in the companies file (`present_until`, `end_reason`): the presence keeps its end and
reason on the district of its last day, the gap re-opens that day, each end is audited, the same file
again writes nothing, and a bad end is a problem with file, row and column (nothing written)."""
from __future__ import annotations

from datetime import date

import pytest

from crm.library.imports.problems import ImportFailed
from crm.library.imports.run import import_companies
from scoring.gaps import analyse_gaps
from tests.factories.files import NOW, company, csv_file, load_reference


@pytest.fixture
def db(store, tmp_path):
    """The real districts (渝北区 500112 abolished into 两江新区 500157 on 6 Nov 2025) and a three-link chain."""
    load_reference(store, tmp_path)
    return store


def presences(store) -> list[tuple]:
    return [tuple(r.values()) for r in store.read(
        "MATCH (c:Company)-[p:PRESENT_IN]->(d:District) RETURN c.name_en AS company, d.id AS district, "
        "p.until AS until, p.end_reason AS reason ORDER BY company, district")]


def cell_action(store, day: date) -> str:
    return next(g.action for g in analyse_gaps(store, "nev", as_of=day) if g.link_id == "nev.cell")


def test_a_firm_that_left_is_imported_with_its_end_and_the_gap_reopens(db, tmp_path):
    rows = [company(present_in="渝北区;500106", present_until="渝北区=2024-03-10", end_reason="迁出重庆")]
    report = import_companies(db, csv_file(tmp_path, rows), now=NOW)
    assert report.relationships["PRESENT_IN ended"] == 1
    assert presences(db) == [("Robert Bosch GmbH", "500106", None, None),
                             ("Robert Bosch GmbH", "500112", date(2024, 3, 10), "relocation")]
    audit = db.read("MATCH (a:AuditEntry) WHERE a.action = 'end_presence' RETURN a.changes AS changes")
    assert len(audit) == 1 and "2024-03-10" in audit[0]["changes"]


def test_the_last_local_maker_leaving_reopens_the_gap_from_that_day(db, tmp_path):
    import_companies(db, csv_file(tmp_path, [company(company_id="bosch")]), now=NOW)
    assert cell_action(db, date(2024, 3, 10)) != "supplement"
    rows = [company(company_id="bosch", present_until="500112=2024-03-10", end_reason="shutdown")]
    import_companies(db, csv_file(tmp_path, rows, name="ends.csv"), now=NOW)
    assert presences(db) == [("Robert Bosch GmbH", "500112", date(2024, 3, 10), "shutdown")]  # not 两江新区 in 2024
    assert cell_action(db, date(2024, 3, 9)) != "supplement"
    assert cell_action(db, date(2024, 3, 10)) == "supplement"
    assert db.read("MATCH (g:GapChange) RETURN g.link_id AS link, g.changed_on AS day, g.kind AS kind") == [
        {"link": "nev.cell", "day": date(2024, 3, 10), "kind": "reopened"}]
    again = import_companies(db, csv_file(tmp_path, rows, name="ends.csv"), now=NOW)
    assert not again.changed


@pytest.mark.parametrize("cells, column, says", [
    ({"present_until": "500112=2999-01-01", "end_reason": "exit"}, "present_until", "is after today"),
    ({"present_until": "500112=2024-03-10"}, "end_reason", "one of exit, relocation, shutdown, sale"),
    ({"present_until": "500112=2024-03-10", "end_reason": "bankrupt"}, "end_reason", "is not one of"),
    ({"present_until": "500112=10.3.2024", "end_reason": "exit"}, "present_until", "is not a date"),
    ({"present_until": "500103=2024-03-10", "end_reason": "exit"}, "present_until", "is not in present_in"),
    ({"present_until": "2024-03-10", "end_reason": "exit"}, "present_until", "needs its district"),
    ({"end_reason": "exit"}, "end_reason", "present_until names no ended presence"),
])
def test_a_bad_end_is_a_problem_and_nothing_is_written(db, tmp_path, cells, column, says):
    with pytest.raises(ImportFailed) as refused:
        import_companies(db, csv_file(tmp_path, [company(**cells)]), now=NOW)
    found = [p for p in refused.value.problems if p.column == column]
    assert found and says in found[0].message and found[0].row == 2
    assert presences(db) == []


def test_a_different_end_for_a_presence_that_ended_is_refused(db, tmp_path):
    first = [company(company_id="bosch", present_until="500112=2024-03-10", end_reason="exit")]
    import_companies(db, csv_file(tmp_path, first), now=NOW)
    later = [company(company_id="bosch", present_until="500112=2024-05-01", end_reason="exit")]
    with pytest.raises(ImportFailed) as refused:
        import_companies(db, csv_file(tmp_path, later, name="later.csv"), now=NOW)
    assert "already ended on 2024-03-10" in str(refused.value.problems[0])
