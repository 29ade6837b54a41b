"""The text a person reads in a Word document or an Excel workbook, opened in its library: tests
that look for a word in a report file cannot search its bytes (both are zip files)."""
from __future__ import annotations

import io

import docx
import openpyxl

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell, one a line."""
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def xlsx_text(content: bytes) -> str:
    """Every filled cell of every sheet, one a line."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r
                     if v is not None)


def sheet_table(ws, title: str) -> list[dict]:
    """A table of a report sheet (title row, header row, rows up to a blank one) as {header: value} rows."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    header = [h for h in rows[start + 1] if h is not None]
    body = []
    for r in rows[start + 2:]:
        if all(v is None for v in r):
            break
        body.append(dict(zip(header, r)))
    return body


def text_of(content: bytes, mimetype: str) -> str:
    """A file's readable text by its content type (anything else as UTF-8)."""
    if mimetype == WORD:
        return docx_text(content)
    if mimetype == EXCEL:
        return xlsx_text(content)
    return content.decode("utf-8", "replace")
