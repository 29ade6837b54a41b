"""The report as a Word document (python-docx) in the layout of a Chinese government report:
a centred title 招商周报 in a Song face, the date range under it, sections numbered 一、二、三 in a
Hei face, body text in FangSong, tables in a grid, and the charts as PNG pictures.

Word picks the font of Chinese text from the run's East-Asian font (w:eastAsia), not from its
Latin name, so every style and run sets both; the chart pictures carry their own CJK font
(crm/reports/charts.py).
"""
from __future__ import annotations

import io
from typing import Any, Sequence

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from crm.reports import charts
from crm.reports.tables import section_tables
from crm.reports.words import Words, reader_note, sections, warning_text

SONG, HEI, FANGSONG, LATIN = "宋体", "黑体", "仿宋", "Times New Roman"
CELL_STYLE, HEAD_STYLE = "Report Cell", "Report Head"
RED = RGBColor(0xB9, 0x1C, 0x1C)


def _fonts(target: Any, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set a style's or run's Latin and East-Asian font (and drop theme fonts that would override them)."""
    font = target.font
    font.name = LATIN
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr() if hasattr(target.element, "get_or_add_rPr") else target._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)


def _styles(doc: Any) -> None:
    _fonts(doc.styles["Normal"], FANGSONG, 12)
    for name, size in (("Heading 1", 16), ("Heading 2", 14)):
        style = doc.styles[name]
        _fonts(style, HEI, size, True)
        style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(doc.styles["Table Grid"], FANGSONG, 9)
    _fonts(doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.CHARACTER), FANGSONG, 9)
    _fonts(doc.styles.add_style(HEAD_STYLE, WD_STYLE_TYPE.CHARACTER), HEI, 9, True)
    section = doc.sections[0]
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _run(paragraph: Any, text: str, east_asian: str = FANGSONG, **kwargs: Any) -> Any:
    run = paragraph.add_run(text)
    _fonts(run, east_asian, kwargs.get("size"), kwargs.get("bold"))
    if kwargs.get("colour") is not None:
        run.font.color.rgb = kwargs["colour"]
    return run


def _table(doc: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: set[int]) -> None:
    """A grid table; cells take their fonts from the two character styles (set once, not per run)."""
    table = doc.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    ids = (doc.styles[HEAD_STYLE].style_id, doc.styles[CELL_STYLE].style_id)
    for n, (tr, values) in enumerate(zip(table._tbl.tr_lst, [header, *rows])):
        for i, (tc, value) in enumerate(zip(tr.tc_lst, values)):
            paragraph = _Cell(tc, table).paragraphs[0]
            run = paragraph.add_run("" if value is None else str(value))
            run._r.get_or_add_rPr().style = ids[0] if n == 0 else ids[1]  # by id: a lookup by name is slow
            if n and i in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def render(figures: dict[str, Any], words: Words) -> bytes:
    """The .docx file's bytes."""
    doc = Document()
    _styles(doc)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, words.title(figures), SONG, size=22, bold=True)
    period = doc.add_paragraph()
    period.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(period, words.period(figures), FANGSONG, size=14)
    note = reader_note(figures, words)
    if note:
        _run(doc.add_paragraph(), note, FANGSONG, size=12, bold=True)
    for warning in figures["warnings"]:
        _run(doc.add_paragraph(), warning_text(warning, words), HEI, size=12, bold=True, colour=RED)
    pictures = charts.draw(figures, words)
    tables = section_tables(figures, words)
    for n, (key, heading) in enumerate(sections(words), start=1):
        doc.add_heading(words.numbered(n, heading), level=1)
        for part in tables[key]:
            if part.kind == "text":
                _run(doc.add_paragraph(), part.title)
            elif part.kind == "chart":
                if part.title in pictures:
                    doc.add_picture(io.BytesIO(pictures[part.title]), width=Cm(15.5))
                    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif part.in_docx:
                doc.add_heading(part.title, level=2)
                _table(doc, part.header, part.text_rows(words), part.numeric)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
