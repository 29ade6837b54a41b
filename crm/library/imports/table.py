"""Read a CSV or XLSX file into rows of text cells, the one shape every validator works on.

CSV encodings are detected, not asked for: UTF-8 (with or without BOM) first, then a guess by
charset-normalizer that prefers GB18030 when it fits about as well as the best guess, because
short Chinese files saved by Excel as GBK are often mistaken for Shift-JIS or Big5. What would
turn into garbage text is refused with the line it fails on instead: a file whose lines mix
UTF-8 and another encoding, UTF-8 text declared as GBK, binary data (NUL bytes, a workbook)
under a .csv name.
Cells become stripped strings, so CSV and XLSX validate identically (crm/library/imports/xlsx.py
reads workbooks).
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from crm.library.imports.problems import FileRefused, Problem

MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
DELIMITERS = ",;\t"
_GB_MARGIN = 0.05  # how much worse than the best guess GB18030 may fit and still win
_GB = ("gb18030", "gbk", "gb2312")
# The csv module refuses a cell over 128 KB with no row to name; read any cell a file can hold
# and let the validators refuse long ones with their row and column (crm/library/imports/columns.py).
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not encoding:
        return data.decode("utf-16"), "utf-16"
    _refuse_binary(name, data)
    if encoding:
        return _declared(name, data, encoding)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if any(ord(ch) >= 0x800 for ch in data[:exc.start].decode("utf-8", "replace")):
            raise FileRefused(f"{name}:{_line(data, exc.start)}: this line is not UTF-8 although the lines before "
                              "it are: the file mixes text encodings; save it again as UTF-8 CSV") from None
    guess = _guess(data)
    if guess is None:
        raise FileRefused(f"{name}: cannot tell the text encoding; save it as UTF-8 CSV or as .xlsx")
    return data.decode(guess), guess


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1a")


def _refuse_binary(name: str, data: bytes) -> None:
    """Text files hold no NUL bytes and hardly any control characters; a workbook is a zip."""
    if data.startswith(b"PK\x03\x04"):
        raise FileRefused(f"{name}: is a zip file, not CSV text (an Excel workbook? save it with the .xlsx name)")
    nul = data.find(b"\x00")
    head = data[:65536]
    if nul >= 0 or len(head) - len(head.translate(None, _CONTROL)) > len(head) // 100:
        where = f":{_line(data, nul)}" if nul >= 0 else ""
        raise FileRefused(f"{name}{where}: holds binary data, not CSV text; export the table as CSV or .xlsx")


def _declared(name: str, data: bytes, encoding: str) -> tuple[str, str]:
    """Text in the encoding the user named, unless the bytes say it is another one."""
    try:
        canonical = codecs.lookup(encoding).name
    except LookupError:
        raise FileRefused(f"{name}: {encoding!r} is not a text encoding Python knows") from None
    if canonical in _GB and not data.isascii() and _reads_as(data, "utf-8-sig"):
        raise FileRefused(f"{name}: is UTF-8 text, not {encoding}: read as {encoding} its Chinese would turn into "
                          "other characters; leave out --encoding")
    try:
        return data.decode(encoding).lstrip("\ufeff"), encoding
    except UnicodeDecodeError as exc:
        hint = ("it reads as GB18030/GBK: use --encoding gb18030, or leave --encoding out"
                if canonical not in _GB and _reads_as(data, "gb18030") else "leave out --encoding to have it detected")
        raise FileRefused(f"{name}:{_line(data, exc.start)}: cannot be read as {encoding}; {hint}") from None


def _reads_as(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


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

    from crm.library.imports import xlsx

    try:
        return list(xlsx.rows(io.BytesIO(data)))
    except xlsx.Refused as exc:
        raise FileRefused(f"{name}: {exc}") from None
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
