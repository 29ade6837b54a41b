"""Read the first worksheet of an .xlsx workbook as rows of cell text, streaming its XML.

openpyxl builds an object per cell and took 3-4 times as long as iterparse here (50,000 rows ×
18 columns; a regular-expression scanner was no faster). Only values matter to an import, so
styles are ignored: a date cell arrives as Excel's serial number (no import column is a date).
A formula cell gives the value Excel stored for it; one with no stored value arrives as its
formula text ("=…"), which the validators refuse. A workbook that would unpack to far more than
a spreadsheet of its size (a zip bomb), or that names cells beyond Excel's last row or column,
is refused before its cells are read.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from typing import IO, Iterator
from xml.etree.ElementTree import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COLUMN = re.compile(r"[A-Z]+")
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's own limits (XFD1048576)
MAX_UNPACKED = 1024 * 1024 * 1024          # bytes a workbook may unpack to
MAX_RATIO = 100                            # unpacked per packed byte; spreadsheets pack 5-20x
RATIO_FROM = 64 * 1024 * 1024              # below this a high ratio does no harm (one long repeated cell)


class Refused(ValueError):
    """The workbook is not one an import reads; the message says why."""


def check_size(book: zipfile.ZipFile, packed: int) -> None:
    """Refuse a zip bomb from the sizes its directory declares (reading stops at those sizes)."""
    unpacked = sum(item.file_size for item in book.infolist())
    if unpacked > MAX_UNPACKED or (unpacked > RATIO_FROM and unpacked > MAX_RATIO * max(packed, 1)):
        raise Refused(f"unpacks to {unpacked / 1024 / 1024:,.0f} MB from {packed / 1024 / 1024:,.1f} MB, far more "
                      "than a spreadsheet does: it is not imported (save the table again from Excel)")


def rows(source: IO[bytes]) -> Iterator[list[str]]:
    """Each sheet row as a list of strings, gaps filled with "" (empty rows included, in order)."""
    with zipfile.ZipFile(source) as book:
        check_size(book, source.seek(0, 2))
        shared = _shared_strings(book)
        sheet = _first_sheet(book)
        expected = 1
        with book.open(sheet) as fh:
            for _, row in iterparse(fh):
                if row.tag != MAIN + "row":
                    continue
                number = int(row.get("r") or expected)
                if not expected <= number <= MAX_ROWS:
                    raise Refused(f"row {number} is out of order or beyond Excel's last row {MAX_ROWS:,}")
                while expected < number:  # rows Excel left out because they are empty
                    yield []
                    expected += 1
                yield _cells(row, shared)
                expected = number + 1
                row.clear()


def _cells(row: object, shared: list[str]) -> list[str]:
    out: list[str] = []
    for cell in row:  # type: ignore[attr-defined]
        if cell.tag != MAIN + "c":
            continue
        ref = cell.get("r")
        if ref:
            index = _column_index(ref)
            if index >= MAX_COLUMNS:
                raise Refused(f"cell {ref[:20]} is beyond Excel's last column XFD")
            out.extend([""] * (index - len(out)))
        out.append(_value(cell, shared))
    return out


def _value(cell: object, shared: list[str]) -> str:
    kind = cell.get("t")  # type: ignore[attr-defined]
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(MAIN + "t")).strip()  # type: ignore[attr-defined]
    v = cell.find(MAIN + "v")  # type: ignore[attr-defined]
    raw = v.text if v is not None and v.text is not None else ""
    if not raw:
        formula = cell.findtext(MAIN + "f")  # type: ignore[attr-defined]
        return "=" + formula if formula else ""
    if kind == "s":
        return shared[int(raw)].strip()
    if kind == "b":
        return "true" if raw == "1" else "false"
    if kind in ("str", "e", "d"):
        return raw.strip()
    number = float(raw)
    return str(int(number)) if number.is_integer() and abs(number) < 2**63 else repr(number)


def _column_index(ref: str) -> int:
    letters = _COLUMN.match(ref)
    index = 0
    for ch in letters.group(0) if letters else "A":
        index = index * 26 + ord(ch) - 64
    return index - 1


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    """The shared string table: plain and rich-text entries (phonetic guides left out)."""
    try:
        fh = book.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    out = []
    with fh:
        for _, element in iterparse(fh):
            if element.tag == MAIN + "si":
                parts = [element.findtext(MAIN + "t") or ""]
                parts += [run.findtext(MAIN + "t") or "" for run in element.findall(MAIN + "r")]
                out.append("".join(parts))
                element.clear()
    return out


def _first_sheet(book: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet, via workbook.xml and its relationships."""
    from xml.etree.ElementTree import fromstring

    workbook = fromstring(book.read("xl/workbook.xml"))
    first = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if first is None:
        raise KeyError("the workbook has no sheet")
    rel_id = first.get(REL + "id")
    rels = fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(PKG_REL + "Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise KeyError(f"no part for sheet {first.get('name')}")
