"""The report as an Excel workbook (openpyxl): a cover sheet, then one sheet per section holding
its tables one under another (title row, header row, data), numbers as numbers with a number
format, so a reader can re-sum any column and get the report's figure. Where the other formats
draw a chart, the workbook has a native Excel chart over the table it draws from, so it follows
the numbers when a reader edits them.
"""
from __future__ import annotations

import io
import re
from typing import Any

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from crm.reports.parts import Part
from crm.reports.tables import section_tables
from crm.reports.words import Words, reader_note, sections, warning_text

NUMBER_FORMATS = {"int": "#,##0", "usd": "#,##0", "rmb": "#,##0.00", "pct": "0.0%", "num1": "0.0",
                  "date": "yyyy-mm-dd"}
TITLE, HEAD = Font(bold=True, size=12), Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F1F5F9")
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


def sheet_name(n: int, title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return _BAD_NAME.sub(" ", f"{n} {title}")[:31]


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write a cell; text stays text even when it starts with "=" (a name typed as a formula never runs)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


@dataclass(frozen=True)
class ChartSpec:
    """Which table a chart draws (the one after it, or before), its category column and series."""
    kind: str  # bar | line
    table_offset: int  # +1: the next table, -1: the one before
    category: int  # 1-based column
    series: tuple[int, ...] | None = None  # None: every column after the category


CHARTS = {"fdi": ChartSpec("line", +1, 1), "stages": ChartSpec("bar", -1, 1), "gaps": ChartSpec("bar", -1, 1),
          "index": ChartSpec("bar", -1, 2, (3,))}


@dataclass(frozen=True)
class Placed:
    part: Part
    first_row: int  # the title row; the header is the next one


def _add_chart(ws: Any, spec: ChartSpec, placed: Placed) -> None:
    rows = len(placed.part.rows)
    if not rows:
        return
    header, last = placed.first_row + 1, placed.first_row + 1 + rows
    chart = LineChart() if spec.kind == "line" else BarChart()
    chart.title = placed.part.title
    chart.height, chart.width = 7.5, 16
    for column in spec.series or range(spec.category + 1, len(placed.part.header) + 1):
        chart.add_data(Reference(ws, min_col=column, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=spec.category, min_row=header + 1, max_row=last))
    ws.add_chart(chart, f"{get_column_letter(len(placed.part.header) + 2)}{placed.first_row}")


def _write_table(ws: Any, row: int, part: Part) -> int:
    _put(ws, row, 1, part.title).font = TITLE
    row += 1
    for col, name in enumerate(part.header, start=1):
        cell = _put(ws, row, col, name)
        cell.font, cell.fill = HEAD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in part.rows:
        row += 1
        for col, (fmt, value) in enumerate(zip(part.formats, values), start=1):
            cell = _put(ws, row, col, value)
            if fmt in NUMBER_FORMATS and value is not None:
                cell.number_format = NUMBER_FORMATS[fmt]
    return row + 2


def _cover(ws: Any, figures: dict[str, Any], words: Words) -> None:
    gettext = words.gettext
    ws.title = sheet_name(0, gettext("Summary"))
    ws["A1"] = words.title(figures)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = words.period(figures)
    rows = [(gettext("Week"), figures["week"]), (gettext("Generated at"), figures["generated_at"][:19])]
    for i, (label, value) in enumerate(rows, start=4):
        _put(ws, i, 1, label).font = HEAD
        _put(ws, i, 2, value)
    notes = [(warning_text(w, words), "B91C1C") for w in figures["warnings"]]
    note = reader_note(figures, words)
    for i, (line, colour) in enumerate(([(note, "1E3A8A")] if note else []) + notes, start=4 + len(rows) + 1):
        _put(ws, i, 1, line).font = Font(bold=True, color=colour)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 28


def render(figures: dict[str, Any], words: Words) -> bytes:
    """The .xlsx file's bytes."""
    book = Workbook()
    _cover(book.active, figures, words)
    tables = section_tables(figures, words)
    for n, (key, title) in enumerate(sections(words), start=1):
        ws = book.create_sheet(sheet_name(n, title))
        row, placed, wanted = 1, [], []
        for part in tables[key]:
            if part.kind == "table":
                placed.append(Placed(part, row))
                row = _write_table(ws, row, part)
            elif part.kind == "text":
                _put(ws, row, 1, part.title)
                row += 2
            elif part.kind == "chart" and part.title in CHARTS:
                spec = CHARTS[part.title]
                wanted.append((spec, len(placed) - 1 + (spec.table_offset if spec.table_offset > 0 else 0)))
        for spec, index in wanted:
            if 0 <= index < len(placed):
                _add_chart(ws, spec, placed[index])
        widths = [max((len(str(c.value)) for c in col if c.value is not None and c.row > 1), default=8)
                  for col in ws.iter_cols()]
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(width * 1.3, 9), 48)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
