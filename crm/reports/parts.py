"""The building blocks of the report's tables (crm/reports/tables.py declares the tables).

A table keeps its values raw, numbers as numbers for Excel, with a format per column that the
Word document words for its reader; `in_docx=False` marks detail for the workbook only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from crm.reports.words import Words

FORMATS = ("text", "int", "usd", "rmb", "pct", "num1", "date")


@dataclass
class Part:
    kind: str  # text | chart | table
    title: str
    header: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    in_docx: bool = True

    @property
    def numeric(self) -> set[int]:
        return {i for i, f in enumerate(self.formats) if f not in ("text", "date")}

    def text_rows(self, words: Words) -> list[list[str]]:
        shown: dict[str, Callable[[Any], str]] = {
            "text": lambda v: "—" if v is None or v == "" else str(v), "int": words.number, "usd": words.usd,
            "rmb": words.rmb, "pct": words.pct, "num1": lambda v: words.number(v, 1), "date": words.day}
        return [[shown[f](v) for f, v in zip(self.formats, row)] for row in self.rows]


def text(line: str) -> Part:
    return Part("text", line)


def chart(name: str) -> Part:
    return Part("chart", name)


def table(title: str, columns: list[tuple[str, str]], rows: list[list[Any]], in_docx: bool = True) -> Part:
    return Part("table", title, [c for c, _ in columns], [f for _, f in columns], rows, in_docx)


def day_of(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None
