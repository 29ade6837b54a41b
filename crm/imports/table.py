"""Read a CSV or XLSX file into rows of text cells, the one shape every validator works on.

CSV encodings are detected, not asked for: UTF-8 (with or without BOM) first, then a guess by
charset-normalizer that prefers GB18030 when it fits about as well as the best guess, because
short Chinese files saved by Excel as GBK are often mistaken for Shift-JIS or Big5.
Cells become stripped strings, so CSV and XLSX validate identically (crm/imports/xlsx.py
reads workbooks).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from crm.imports.problems import FileRefused, Problem

MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
DELIMITERS = ",;\t"
_GB_MARGIN = 0.05  # how much worse than the best guess GB18030 may fit and still win


@dataclass
class Table:
    """A file's header (normalised names) and its non-empty rows with their spreadsheet row numbers."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    header_row: int = 1


def check_file(name: str, size: int, max_bytes: int = MAX_BYTES) -> str:
    """Refuse what we cannot or should not read; returns the lower-case suffix."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise FileRefused(f"{name}: old Excel .xls files cannot be read; save it as .xlsx or .csv")
    if suffix not in SUFFIXES:
        raise FileRefused(f"{name}: only .csv and .xlsx files can be imported")
    if size > max_bytes:
        raise FileRefused(f"{name}: {size / 1024 / 1024:.1f} MB is more than the "
                          f"{max_bytes // 1024 // 1024} MB an import accepts; split the file")
    if size == 0:
        raise FileRefused(f"{name}: the file is empty")
    return suffix


def read_path(path: str | Path, *, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> Table:
    file = Path(path)
    if not file.is_file():
        raise FileRefused(f"{file}: no such file")
    check_file(file.name, file.stat().st_size, max_bytes)
    return read_bytes(file.name, file.read_bytes(), encoding=encoding, max_bytes=max_bytes)


def read_bytes(name: str, data: bytes, *, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> Table:
    """Read an uploaded or local file's bytes; `name` decides the format and appears in messages."""
    if check_file(name, len(data), max_bytes) == ".xlsx":
        return _table(name, _xlsx_rows(name, data), None)
    text, used = decode(name, data, encoding)
    try:
        return _table(name, _csv_rows(text), used)
    except csv.Error as exc:
        raise FileRefused(f"{name}: not a readable CSV file ({exc})") from None


def decode(name: str, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff"), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise FileRefused(f"{name}: cannot be read as {encoding}: {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    if guess is None:
        raise FileRefused(f"{name}: cannot tell the text encoding; save it as UTF-8 CSV or as .xlsx")
    return data.decode(guess), guess


def _guess(data: bytes) -> str | None:
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    for m in matches:
        if m.encoding in ("gb18030", "gb2312", "gbk") and m.chaos <= best + _GB_MARGIN:
            return "gb18030"  # a superset of GBK and GB2312
    return matches[0].encoding


def _csv_rows(text: str) -> Iterable[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(name: str, data: bytes) -> list[list[str]]:
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from crm.imports import xlsx

    try:
        return list(xlsx.rows(io.BytesIO(data)))
    except (BadZipFile, KeyError, ParseError, ValueError) as exc:
        raise FileRefused(f"{name}: not a readable .xlsx workbook ({exc})") from None


def header_name(raw: str) -> str:
    return raw.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")


def _table(name: str, rows: Iterable[list[str]], encoding: str | None) -> Table:
    table = Table(name, (), [], encoding=encoding)
    numbered = enumerate(rows, start=1)
    for number, raw in numbered:
        if any(cell.strip() for cell in raw):
            table.columns = tuple(header_name(c) for c in raw)
            table.header_row = number
            break
    else:
        table.problems.append(Problem(name, None, None, "no header row: the file has no data"))
        return table
    while table.columns and not table.columns[-1]:
        table.columns = table.columns[:-1]
    width = len(table.columns)
    for number, raw in numbered:
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        extra = [c for c in cells[width:] if c]
        if extra:
            table.problems.append(Problem(name, number, None,
                                          f"{len(extra)} value(s) beyond the last named column"))
        table.rows.append((number, {col: (cells[i] if i < len(cells) else "")
                                    for i, col in enumerate(table.columns) if col}))
    return table
