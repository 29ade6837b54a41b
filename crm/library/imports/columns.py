"""Column declarations shared by the import formats: name, parser, and the README's description.

A format is a tuple of `Column`s; `check_header` and `parse_cells` turn a `Table` into typed
values and `Problem`s without touching the store. Three rules hold for every cell before its
parser sees it: at most MAX_CELL characters, only text that can be stored (crm/base/text.py), and
no spreadsheet formula (a cell starting with
"="): an import takes values, and a formula stored as text would run when someone opens an
export in a spreadsheet. Cells starting with "+", "-" or "@" are ordinary text ("+86 23 …",
"-", "@bosch"); exports write every text cell as text (crm/reports/render_xlsx.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from crm.base.text import unstorable
from crm.library.imports.cells import Parser
from crm.library.imports.problems import CellError, Problem, quoted
from crm.library.imports.table import Table

MAX_CELL = 2000  # characters a cell may hold
SHOWN = 40       # characters of an offending value or header quoted back in a message


def shown(value: str) -> str:
    """A value as a message quotes it: cut short, so a megabyte cell does not become a megabyte message."""
    return quoted(value if len(value) <= SHOWN else value[:SHOWN] + "…")


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    doc: str


def check_header(table: Table, columns: Iterable[Column], *, need_one_of: tuple[str, ...]) -> list[Problem]:
    """Unknown, blank or repeated column names, and a missing key column, are file-level problems."""
    known = {c.name for c in columns}
    problems = []
    seen: set[str] = set()
    row = table.header_row
    for position, name in enumerate(table.columns, start=1):
        if len(name) > SHOWN:
            problems.append(Problem(table.name, row, f"#{position}", f"{shown(name)} is not a column name"))
        elif not name:
            problems.append(Problem(table.name, row, f"#{position}", "has no name in the header"))
        elif name in seen:
            problems.append(Problem(table.name, row, name, "appears twice in the header"))
        elif name not in known:
            problems.append(Problem(table.name, row, name,
                                    f"unknown column (known: {', '.join(sorted(known))})"))
        seen.add(name)
    if table.columns and not any(n in seen for n in need_one_of):
        problems.append(Problem(table.name, row, None,
                                f"the header needs at least one of: {', '.join(need_one_of)}"))
    return problems


def parse_cells(table: Table, number: int, cells: dict[str, str], columns: Iterable[Column],
                problems: list[Problem]) -> dict[str, Any]:
    """Typed values of the row's non-empty cells; each bad cell adds a Problem."""
    values: dict[str, Any] = {}
    for column in columns:
        raw = cells.get(column.name, "")
        if not raw:
            continue
        if len(raw) > MAX_CELL:
            problems.append(Problem(table.name, number, column.name,
                                    f"is {len(raw):,} characters long; a cell holds at most {MAX_CELL:,}"))
            continue
        reason = unstorable(raw)
        if reason:
            problems.append(Problem(table.name, number, column.name, reason))
            continue
        if raw.startswith("="):
            problems.append(Problem(table.name, number, column.name,
                                    f"{shown(raw)} is a spreadsheet formula: an import takes values, not formulas "
                                    "(type the value itself, or paste values only)"))
            continue
        try:
            values[column.name] = column.parse(raw)
        except CellError as exc:
            problems.append(Problem(table.name, number, column.name, str(exc)))
    return values


def describe(columns: Iterable[Column]) -> str:
    """The column table for README.md, generated so code and documentation cannot drift."""
    lines = ["| column | meaning |", "| --- | --- |"]
    lines += [f"| `{c.name}` | {c.doc} |" for c in columns]
    return "\n".join(lines)
