"""The weekly report page in a real browser: opened from the list, Chinese then English, charts
inline, nothing blocked by the CSP and nothing fetched from outside the app."""
from __future__ import annotations

import pytest

from crm.base.access import SYSTEM
from crm.base.clock import utcnow
from crm.reports import Week, generate
from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser


def test_a_reader_opens_last_week_s_report_from_the_list(page, live_server):
    week = Week.last_completed(utcnow())
    generate(live_server.store, week, actor=SYSTEM, now=utcnow(), scoring=None, regenerate=True, deliver=False)
    log_in(page, live_server, "viewer")
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda message: problems.append(f"{message.text} {message.location.get('url')}")
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("request", lambda request: problems.append(request.url)
            if not request.url.startswith((live_server.url, "data:")) else None)
    page.click("nav.nav >> text=招商周报")
    page.click(f"a[href='/reports/{week.id}']")
    page.wait_for_selector("article.report h1")
    assert page.locator("article.report h1").inner_text() == "招商周报"
    assert page.locator("article.report h2").count() == 7
    assert page.locator("figure.rchart img").count() >= 3
    assert page.locator("figure.rchart img").first.evaluate("img => img.naturalWidth") > 300
    shot(page, "report-zh")
    page.click("a.lang")
    page.wait_for_selector("text=Weekly investment promotion report")
    shot(page, "report-en")
    assert problems == []
