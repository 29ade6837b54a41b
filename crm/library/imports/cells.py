"""Parse one cell's text into a typed value, or say in plain words why it is not one.

Each parser takes non-empty text (empty cells never reach them) and raises CellError; the
validators add the file, row and column. Accepts what Chinese spreadsheets commonly hold:
是/否 for booleans, full-width semicolons between list items.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Callable

from crm.library.imports.problems import CellError, quoted

Parser = Callable[[str], object]

TRUE = {"true", "yes", "y", "1", "是", "t", "x", "✓"}
FALSE = {"false", "no", "n", "0", "否", "f"}
_LIST_SPLIT = re.compile(r"[;；\n]")
_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def text(value: str) -> str:
    """Free text as given (columns.parse_cells has already refused over-long cells and formulas)."""
    return value


def day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CellError(f"{quoted(value)} is not a date (YYYY-MM-DD)") from None


def ident(value: str) -> str:
    if not _IDENT.match(value):
        raise CellError(f"{quoted(value)} is not an id (letters, digits, _ . - ; at most 80)")
    return value


def whole(low: int | None = None, high: int | None = None) -> Parser:
    def parse(value: str) -> int:
        cleaned = value.replace(",", "").replace("_", "")
        if cleaned.endswith(".0"):
            cleaned = cleaned[:-2]
        try:
            number = int(cleaned)
        except ValueError:
            raise CellError(f"{quoted(value)} is not a whole number") from None
        _check_range(value, number, low, high)
        return number
    return parse


UNKNOWN = {"unknown", "未知"}


def whole_or_unknown(low: int, high: int) -> Parser:
    """A whole number in range, or "unknown" (未知): a fact nobody could source, kept as such."""
    parse_whole = whole(low, high)

    def parse(value: str) -> object:
        return "unknown" if value.strip().lower() in UNKNOWN else parse_whole(value)
    return parse


def number(low: float | None = None, high: float | None = None) -> Parser:
    def parse(value: str) -> float:
        try:
            parsed = float(value.replace(",", ""))
        except ValueError:
            raise CellError(f"{quoted(value)} is not a number") from None
        if parsed != parsed or parsed in (float("inf"), float("-inf")):
            raise CellError(f"{quoted(value)} is not a number")
        _check_range(value, parsed, low, high)
        return parsed
    return parse


def _check_range(raw: str, value: float, low: float | None, high: float | None) -> None:
    if low is not None and value < low:
        raise CellError(f"{quoted(raw)} is below the smallest allowed value {low:g}")
    if high is not None and value > high:
        raise CellError(f"{quoted(raw)} is above the largest allowed value {high:g}")


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise CellError(f"{quoted(value)} is not true or false (also accepted: yes/no, 1/0, 是/否)")


def country(value: str) -> str:
    code = value.upper()
    if not _COUNTRY.match(code):
        raise CellError(f"{quoted(value)} is not a two-letter ISO country code such as CN, DE, US")
    return code


def choice(options: dict[str, str]) -> Parser:
    """One of a fixed set; `options` maps every accepted spelling to the stored value."""
    def parse(value: str) -> str:
        found = options.get(value.lower()) or options.get(value)
        if found is None:
            allowed = ", ".join(sorted(set(options.values())))
            raise CellError(f"{quoted(value)} is not one of: {allowed}")
        return found
    return parse


def items(value: str) -> list[str]:
    """A list cell: items separated by ';' (or '；' or line breaks), blanks dropped, order kept."""
    out: list[str] = []
    for part in _LIST_SPLIT.split(value):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def ident_list(value: str) -> list[str]:
    parsed = items(value)
    for part in parsed:
        ident(part)
    return parsed
