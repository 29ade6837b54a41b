"""Reading import files: encodings detected without asking, XLSX like CSV, refusals that say why."""
from __future__ import annotations

import pytest

from crm.library.imports.problems import FileRefused
from crm.library.imports.table import read_bytes, read_path
from tests.factories.files import company, csv_bytes, csv_file, xlsx_file

CHINESE = [company(name_zh="重庆长安汽车股份有限公司", name_en="Chongqing Changan Automobile", aliases="长安汽车;CHANA",
                   country="CN"),
           company(name_zh="罗伯特·博世有限公司", aliases="博世")]


def names(table):
    return [cells["name_zh"] for _, cells in table.rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_it_reads_chinese_csv_in_the_encodings_excel_writes(encoding):
    table = read_bytes("companies.csv", csv_bytes(CHINESE, encoding=encoding))
    assert names(table) == ["重庆长安汽车股份有限公司", "罗伯特·博世有限公司"]
    assert table.columns[0] == "company_id"  # no BOM left on the first column name


def test_it_reads_real_gbk_bytes_of_a_short_file():
    data = "name_zh,country\r\n博世,DE\r\n".encode("gbk")
    assert data == b"name_zh,country\r\n\xb2\xa9\xca\xc0,DE\r\n"
    assert names(read_bytes("short.csv", data)) == ["博世"]


def test_it_says_which_encoding_it_used():
    assert read_bytes("a.csv", csv_bytes(CHINESE, encoding="gbk")).encoding == "gb18030"
    assert read_bytes("a.csv", csv_bytes(CHINESE, encoding="utf-8-sig")).encoding == "utf-8"


def test_it_takes_an_explicit_encoding_over_detection():
    data = "name_zh\n鴻海精密\n".encode("big5")
    assert names(read_bytes("a.csv", data, encoding="big5")) == ["鴻海精密"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_detects_the_delimiter_from_the_header(delimiter):
    table = read_bytes("a.csv", csv_bytes(CHINESE, delimiter=delimiter))
    assert len(table.columns) == len(CHINESE[0]) and len(table.rows) == 2


@pytest.mark.parametrize("write_only", [False, True])  # shared strings, and inline strings
def test_it_reads_xlsx_into_the_same_cells_as_csv(tmp_path, write_only):
    from_csv = read_path(csv_file(tmp_path, CHINESE))
    from_xlsx = read_path(xlsx_file(tmp_path, CHINESE, write_only=write_only))
    assert from_xlsx.columns == from_csv.columns
    assert [cells for _, cells in from_xlsx.rows] == [cells for _, cells in from_csv.rows]


def test_it_numbers_rows_as_the_spreadsheet_does_and_skips_blank_ones(tmp_path):
    data = "name_zh,country\r\n\r\nA,CN\r\n,\r\nB,DE\r\n".encode()
    assert [n for n, _ in read_bytes("a.csv", data).rows] == [3, 5]


def test_it_refuses_a_file_that_is_not_csv_or_xlsx(tmp_path):
    for name, message in (("companies.txt", "only .csv and .xlsx"), ("companies.xls", "save it as .xlsx")):
        path = tmp_path / name
        path.write_text("name_zh\nA\n")
        with pytest.raises(FileRefused, match=message):
            read_path(path)


def test_it_refuses_a_file_that_is_too_big(tmp_path):
    path = csv_file(tmp_path, CHINESE)
    with pytest.raises(FileRefused, match="more than .* MB an import accepts; split the file"):
        read_path(path, max_bytes=10)


def test_it_refuses_an_xlsx_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "companies.xlsx"
    path.write_bytes(b"name_zh\nA\n")
    with pytest.raises(FileRefused, match="not a readable .xlsx"):
        read_path(path)


def test_it_refuses_a_missing_or_empty_file(tmp_path):
    with pytest.raises(FileRefused, match="no such file"):
        read_path(tmp_path / "gone.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(FileRefused, match="empty"):
        read_path(tmp_path / "empty.csv")
