"""The report's files: the Word document holds the numbered sections and tables with East-Asian fonts,
the workbook's sheets hold numbers that sum to the report's figures, and the charts draw Chinese with
a CJK font or refuse. Files are saved under test-artifacts/report/ for a person to look at; the PDF
printed by Chromium is tests/browser/test_report_pdf.py (it shares the session's browser).
"""
import io
from datetime import date, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from crm.followups.completion import complete_followup
from crm.reports import Week, build, charts
from crm.reports.files import render
from tests.conftest import ROOT
from tests.documents import sheet_table
from tests.factories import NOW, make_followup, make_inflow, make_lead, make_project, make_reference, make_user
from web.reports import words

FORMULA_NAME = '=HYPERLINK("http://example.com","李")'  # a name typed as a formula must never run
ARTIFACTS = ROOT / "test-artifacts" / "report"
SECTIONS_ZH = ["一、外资目标完成情况", "二、招商线索进展", "三、产业链补链固链", "四、区县招商活跃指数", "五、跟进工作",
               "六、招商活动", "七、财政奖励"]


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    from graph.engines.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("files") / "f.lbug", buffer_pool_mb=256)
    store.ensure_schema()
    make_reference(store)
    li = make_user(store, "li", "staff", display_name=FORMULA_NAME)
    lead = make_lead(store, owner_id=li.id, now=NOW - timedelta(days=9))
    make_lead(store, company_id="infineon", link_id="electronics.chip", district_id="500106", owner_id=li.id,
              now=NOW - timedelta(days=8))
    item = make_followup(store, lead.id, kind="visit", due_on=date(2026, 11, 11), now=NOW - timedelta(days=9))
    complete_followup(store, item.id, {"outcome": "ok"}, actor=li.actor(), now=NOW - timedelta(days=8),
                      expected_version=None)
    project = make_project(store, signed_on=date(2026, 11, 9))
    first_phase = make_project(store, name="博世功率半导体一期", signed_on=date(2025, 5, 1), link_id=None)
    make_inflow(store, first_phase.id, received_on=date(2025, 6, 1), amount_usd=30_000_000)
    make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    yield build(store, Week.parse("2026-W46"), now=NOW, scoring=None)
    store.close()


def _save(name: str, content: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(content)
    return path


def test_the_word_document_has_the_title_numbered_sections_tables_and_charts(figures):
    made = render(figures, "docx", words("zh"))
    document = docx.Document(io.BytesIO(made.content))
    _save("report-zh.docx", made.content)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "招商周报" and texts[1] == "2026-W46周（2026-11-09至2026-11-15）"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS_ZH
    assert len(document.tables) >= 15 and len(document.inline_shapes) == 3   # no gap chart without scoring
    by_title = {p.text: p for p in document.paragraphs if p.style.name == "Heading 2"}
    assert "招商活跃指数排名" in by_title and "达到奖励条件的项目" in by_title
    ranking = next(t for t in document.tables if t.rows[0].cells[1].text == "区县")
    assert [c.text for c in ranking.rows[0].cells] == ["排名", "区县", "指数", "上周", "变化", "上周排名"]
    assert ranking.rows[1].cells[1].text == "两江新区"
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    assert document.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_the_workbook_s_sheets_sum_to_the_report_s_figures(figures):
    made = render(figures, "xlsx", words("zh"))
    _save("report-zh.xlsx", made.content)
    book = openpyxl.load_workbook(io.BytesIO(made.content))
    assert book.sheetnames == ["0 概要", "1 外资目标完成情况", "2 招商线索进展", "3 产业链补链固链", "4 区县招商活跃指数",
                               "5 跟进工作", "6 招商活动", "7 财政奖励"]
    measures = sheet_table(book["1 外资目标完成情况"], "分口径到位外资")
    assert measures[0]["本年累计"] == figures["fdi"]["ytd_usd"]["value"] == 35_000_000
    assert isinstance(measures[0]["增速"], float)
    stages = sheet_table(book["2 招商线索进展"], "分阶段线索")
    assert sum(r["本周末"] for r in stages) == sum(v["value"] for v in figures["pipeline"]["by_stage"].values())
    chains = sheet_table(book["2 招商线索进展"], "分产业链")
    assert sum(r["新增线索"] for r in chains) == figures["pipeline"]["week"]["new_leads"]["value"] == 2
    assert sum(r["合同外资"] for r in chains) == figures["pipeline"]["week"]["contracted_fdi_usd"]["value"]
    points = sheet_table(book["4 区县招商活跃指数"], "各分项得分")
    for row, ranked in zip(points, figures["districts"]["ranking"]):
        parts = [v for k, v in row.items() if k not in ("区县", "指数")]
        assert sum(parts) == pytest.approx(row["指数"], abs=0.05) and row["指数"] == ranked["score"]
    owners = sheet_table(book["5 跟进工作"], "分责任人跟进情况")
    assert sum(r["完成跟进"] for r in owners) == figures["people"]["done"]["value"] == 1
    assert owners[0]["负责人"] == FORMULA_NAME
    rewards = sheet_table(book["7 财政奖励"], "达到奖励条件的项目")
    assert sum(r["合计"] for r in rewards) == figures["incentives"]["total_rmb"]["value"] == 1_400_000


def test_the_charts_draw_chinese_with_a_cjk_font(figures):
    drawn = charts.draw(figures, words("zh"))
    assert set(drawn) == {"fdi", "stages", "index"} and all(png[:4] == b"\x89PNG" for png in drawn.values())
    for name, png in drawn.items():
        _save(f"chart-{name}.png", png)
    assert charts.cjk_font() in charts.FAMILIES


def test_every_reader_s_copy_shares_the_charts_drawn_once(figures):
    """The charts show city totals only, the same in a scoped reader's copy: not drawn again per reader."""
    from crm.base.access import Actor
    from crm.reports.scope import for_reader

    officer = Actor("u-officer", "officer", "district_officer", districts=("500103",))
    assert for_reader(figures, officer) != figures
    assert charts.draw(for_reader(figures, officer), words("zh")) is charts.draw(figures, words("zh"))


def test_text_that_looks_like_a_formula_is_written_as_text(figures):
    book = openpyxl.load_workbook(io.BytesIO(render(figures, "xlsx", words("zh")).content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_stored_name_with_control_characters_never_breaks_a_file(tmp_path):
    """Issue 12, item 6: a project named with NUL/ESC/BEL (stored before the edges refused such text)
    made the Word and Excel files answer 500 for every reader; now each format renders, with a mark."""
    from graph.engines.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "bad.lbug", buffer_pool_mb=256)
    store.ensure_schema()
    make_reference(store)
    project = make_project(store, signed_on=date(2026, 11, 9))
    make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    store.write("MATCH (p:Project {id: $id}) SET p.name = $name", {"id": project.id, "name": "博世\x00\x1b[31m\x07扩产"})
    figures = build(store, Week.parse("2026-W46"), now=NOW, scoring=None)
    store.close()
    document = docx.Document(io.BytesIO(render(figures, "docx", words("zh")).content))
    assert any("博世\ufffd\ufffd[31m\ufffd扩产" in cell.text for t in document.tables for row in t.rows for cell in row.cells)
    book = openpyxl.load_workbook(io.BytesIO(render(figures, "xlsx", words("zh")).content))
    assert any("博世\ufffd\ufffd[31m\ufffd扩产" in str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    assert "博世\ufffd\ufffd[31m\ufffd扩产" in render(figures, "html", words("zh")).content.decode()
    surrogate = {**figures, "week": figures["week"] + "\udc80"}
    assert render(surrogate, "html", words("zh")).content


def test_the_workbook_has_native_charts_over_its_tables(figures):
    """Issue 16: Excel had the numbers but no charts; each chart now reads the cells of its table."""
    import zipfile

    content = render(figures, "xlsx", words("zh")).content
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        charts = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 4
    assert sum("<lineChart>" in c for c in charts) == 1 and sum("<barChart>" in c for c in charts) == 3
    assert all("<numRef><f>'" in c for c in charts), "series read the sheet's cells, not copies"
    openpyxl.load_workbook(io.BytesIO(content))
    _save("report.xlsx", content)
