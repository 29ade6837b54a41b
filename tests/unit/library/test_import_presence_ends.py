"""A presence ended through the companies file (`presence_ended`) is ended as staff end it: the firm is no
longer present there, the gap of a link it was the last local maker of re-opens that day, each end is
audited, the same file again writes nothing, and a day after today is a problem in the file. Both engines."""
from __future__ import annotations

from datetime import date

import pytest

from crm.library.imports.problems import ImportFailed
from crm.library.imports.run import import_companies
from scoring.gaps import analyse_gaps
from tests.factories.files import NOW, company, csv_file, load_reference


@pytest.fixture
def db(store, tmp_path):
    """The real districts and a three-link chain; Bosch makes battery cells in 沙坪坝区, the only local maker."""
    load_reference(store, tmp_path)
    import_companies(store, csv_file(tmp_path, [company(company_id="bosch", present_in="500106")], name="first.csv"),
                     now=NOW)
    return store


def cell_action(store, day: date) -> str:
    return next(g.action for g in analyse_gaps(store, "nev", as_of=day) if g.link_id == "nev.cell")


def test_a_stored_presence_ended_by_the_file_is_ended_and_its_gap_reopens(db, tmp_path):
    ended = [company(company_id="bosch", present_in="", presence_ended="500106:2024-03-10:relocation")]
    import_companies(db, csv_file(tmp_path, ended), now=NOW)
    assert db.read("MATCH (:Company {id: 'bosch'})-[r:PRESENT_IN]->(d:District) RETURN d.id AS d") == []
    assert db.read("MATCH (:Company {id: 'bosch'})-[r:WAS_PRESENT_IN]->(d:District) "
                   "RETURN d.id AS d, r.until AS until, r.end_reason AS reason") == [
        {"d": "500106", "until": date(2024, 3, 10), "reason": "relocation"}]
    assert cell_action(db, date(2024, 3, 9)) != "supplement"
    assert cell_action(db, date(2024, 3, 10)) == cell_action(db, NOW.date()) == "supplement"
    assert db.read("MATCH (g:GapChange) RETURN g.link_id AS link, g.kind AS kind, g.day AS day") == [
        {"link": "nev.cell", "kind": "reopened", "day": date(2024, 3, 10)}]
    assert len(db.read("MATCH (a:AuditEntry {record_id: 'bosch', action: 'presence_end'}) RETURN a.id AS id")) == 1
    again = import_companies(db, csv_file(tmp_path, ended), now=NOW)
    assert not again.changed


def test_an_end_after_today_is_a_problem_and_nothing_is_written(db, tmp_path):
    rows = [company(company_id="bosch", present_in="", presence_ended="500106:2999-01-01:exit")]
    with pytest.raises(ImportFailed) as refused:
        import_companies(db, csv_file(tmp_path, rows), now=NOW)
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (2, "presence_ended") and "after today" in problem.message
    assert db.read("MATCH (:Company {id: 'bosch'})-[r:PRESENT_IN]->(d:District) RETURN d.id AS d") == [{"d": "500106"}]
