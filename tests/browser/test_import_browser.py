"""Companies imported from the browser (issue 16, item 11), in Chromium: staff upload a file, read the dry run,
commit, and watch the progress bar move to done while the app keeps serving other pages; the dry run and the
job page stay clean at phone width, and the page speaks English too."""
from __future__ import annotations

import threading

import pytest

from crm.library.imports import run
from tests.browser.conftest import log_in, shot
from tests.browser.test_sweep_browser import OVERFLOW_JS

ROWS = 300


def csv_file(tmp_path, prefix: str):
    path = tmp_path / "firms.csv"
    lines = ["name_zh,name_en,country,source"]
    lines += [f"{prefix}{n},{prefix} Browser Import {n},DE,synthetic browser test" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fits(tab, width: int = 390) -> None:
    tab.set_viewport_size({"width": width, "height": 900})
    box = tab.evaluate(OVERFLOW_JS)
    assert box["scroll"] <= box["width"], f"{box['scroll']} px wide at {width}: {box['wide']}"


@pytest.fixture
def held_write(monkeypatch):
    """The import's write waits for `release` so the test sees the job running (the real write follows)."""
    release = threading.Event()
    real = run.write

    def held(*args, **kwargs):
        release.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "write", held)
    return release


def test_staff_upload_check_and_commit_a_file_and_watch_the_bar_reach_done(page, live_server, tmp_path, held_write):
    failures: list[str] = []
    page.on("console", lambda msg: failures.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/api/v1/imports/jobs/" in r.url else None)
    log_in(page, live_server, "staff")
    page.goto(live_server.url + "/companies")
    page.click("a[href='/companies/import']")
    page.set_input_files("input[type=file]", str(csv_file(tmp_path, "浏览器导入")))
    page.click("#import-upload button.primary")
    page.wait_for_selector("#import-summary")
    assert page.inner_text("[data-count=new]") == str(ROWS)
    assert page.inner_text("[data-count=problems]") == "0"
    fits(page)
    shot(page, "import-dry-run-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#import-commit button.primary")
    page.wait_for_selector("#import-job[data-status=running]")
    other = page.context.new_page()  # the app keeps serving while the import waits to write
    assert other.goto(live_server.url + "/companies").status == 200
    other.close()
    held_write.set()
    page.wait_for_selector("#import-job[data-status=done]", timeout=60_000)
    assert page.eval_on_selector("progress.import-bar", "bar => bar.value") == 100
    assert polls, "the progress bar never polled the job"
    assert f"新建 {ROWS}" in page.inner_text("#import-result")
    fits(page)
    shot(page, "import-done-390")
    assert failures == []


def test_a_file_with_problems_shows_them_by_row_and_column_in_english(page, live_server, tmp_path):
    log_in(page, live_server, "admin")
    page.goto(live_server.url + "/lang/en?next=/companies/import")
    path = tmp_path / "bad.csv"
    path.write_text("name_zh,employees\n" + "长" * 3000 + ",many\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(path))
    page.click("#import-upload button.primary")
    page.wait_for_selector("#problems")
    assert "Problems" in page.inner_text("h2#problems") and page.locator("#import-commit").count() == 0
    assert "employees" in page.inner_text("table") and "name_zh" in page.inner_text("table")
    fits(page)
