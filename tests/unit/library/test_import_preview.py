"""The dry run the web upload shows (issue 16, item 11): each row new, matching, merging (with what it
changes) or ambiguous (with candidates), problems by row and column — and exactly what the import then
does with the same file and store. Nothing is written. On both engines."""
from __future__ import annotations

from crm.library.imports.preview import preview_companies
from crm.library.imports.run import import_companies
from crm.library.imports.table import read_bytes
from graph.cypher import count_nodes
from tests.factories import NOW, make_reference

HEADER = "company_id,name_zh,name_en,country,employees,makes\n"
FILE = HEADER + ",中创新航,CALB,CN,12000,\n,博世,,DE,400000,\n,,Changan Automobile,DE,,\n,,Infineon,DE,,electronics.chip\n"


def table(text: str):
    return read_bytes("firms.csv", text.encode())


def outcomes(preview):
    return {o.row: (o.outcome, o.company_id) for o in preview.outcomes}


def test_the_dry_run_tells_each_row_and_writes_nothing(store):
    make_reference(store)
    before = count_nodes(store, "Company")
    preview = preview_companies(store, table(FILE), now=NOW)
    got = outcomes(preview)
    assert got[2][0] == "new" and got[3] == ("merge", "bosch") and got[4] == ("ambiguous", None)
    assert preview.of("ambiguous")[0].candidates[0].company_id == "changan"
    assert "employees" in preview.of("merge")[0].changes
    assert preview.problems == [] and count_nodes(store, "Company") == before


def test_a_row_unchanged_matches_and_the_preview_agrees_with_the_import(store):
    make_reference(store)
    import_companies(store, table(FILE), now=NOW, skip_ambiguous=True)
    again = FILE + ",宁德时代,CATL,CN,,\n"
    preview = preview_companies(store, table(again), now=NOW)
    assert {o.outcome for o in preview.outcomes if o.row in (2, 3, 5)} == {"match"}
    assert outcomes(preview)[6] == ("merge", "catl")  # stored before any import: it gains its matching key
    report = import_companies(store, table(again), now=NOW, skip_ambiguous=True)
    assert report.nodes["Company"]["updated"] == len(preview.of("merge"))
    assert report.nodes["Company"]["created"] == len(preview.of("new")) == 0


def test_problems_come_by_row_and_column_and_their_rows_are_not_counted_again(store):
    make_reference(store)
    preview = preview_companies(store, table(HEADER + ",某企业,,CN,many,\n,好企业,,CN,,nev.nothing\n"), now=NOW)
    assert [(p.row, p.column) for p in preview.problems] == [(2, "employees"), (3, "makes")]
    assert preview.outcomes == [] and not preview.committable
