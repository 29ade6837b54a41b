"""The HTML report printed to PDF by Chromium and turned into PNG pages by pdftoppm, with its Chinese
text: the files land in test-artifacts/report/ for a person to look at."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from crm.reports.files import render
from tests.unit.reports.test_report_files import ARTIFACTS, _save, figures  # noqa: F401  (the report's figures)
from web.reports import words

pytestmark = pytest.mark.browser


def test_chromium_prints_the_html_report_to_a_pdf_whose_pages_become_pngs(browser, figures):
    """Needs pdftoppm and a Chinese font (`make system-packages`): missing, they fail the test."""
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run `make system-packages` (poppler-utils)"
    zh_fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert "CJK SC" in zh_fonts, "no Chinese font for chromium (boxes instead of text): install fonts-noto-cjk"
    html = render(figures, "html", words("zh")).content.decode("utf-8")
    _save("report-zh.html", html.encode("utf-8"))
    page = browser.new_page()
    try:
        page.set_content(html, wait_until="load")
        assert page.locator("h1").inner_text() == "招商周报"
        pdf = page.pdf(format="A4", print_background=True, margin={"top": "12mm", "bottom": "12mm",
                                                                   "left": "10mm", "right": "10mm"})
    finally:
        page.close()
    path = _save("report-zh.pdf", pdf)
    assert pdf[:5] == b"%PDF-"
    for old in ARTIFACTS.glob("report-zh-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(path), str(ARTIFACTS / "report-zh-page")],
                   check=True, timeout=120)
    pages = sorted(ARTIFACTS.glob("report-zh-page-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 10_000 for p in pages)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "招商周报" in text and "一、外资目标完成情况" in text
