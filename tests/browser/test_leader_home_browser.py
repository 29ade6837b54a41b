"""A leader's home in a real browser, Chinese and English: at a 1366 × 768 laptop screen every figure is on
the first screen, at 390 px nothing scrolls sideways, no console error, no failed request, nothing fetched
from outside the app, and a figure clicked opens its detail."""
from __future__ import annotations

from datetime import timedelta

import pytest

from crm.base.access import SYSTEM
from crm.base.clock import utcnow
from crm.reports import Week, generate
from scoring.resilience_trend import snapshot_weeks
from tests.browser.conftest import log_in, shot
from tests.factories import make_inflow, make_lead, make_project
from web.reports import scoring

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("leader_home")]  # one module fixture, one worker

LAPTOP = {"width": 1366, "height": 768}
CARDS = ("leader-fdi", "leader-pipeline", "leader-gaps", "leader-resilience", "leader-districts")
# What the browser's own bars leave of a 768 px screen (tabs, address bar): the first screen to fill.
FIRST_SCREEN = 660


@pytest.fixture(scope="module")
def reported(live_server):
    """Last week's report with every FDI warning there is (behind last year, no manufacturing, no high-tech
    manufacturing or services this year), leads, and a kept resilience trend: the tallest the home gets."""
    store, now = live_server.store, utcnow()
    week = Week.last_completed(now)
    signed, last_year = week.start - timedelta(days=800), week.start - timedelta(days=365)
    factory = make_project(store, name="博世首页工厂", signed_on=signed, now=now)
    make_inflow(store, factory.id, received_on=last_year, amount_usd=30_000_000, now=now)
    services = make_project(store, name="首页研发服务", signed_on=signed, manufacturing=False,
                            industry_category="high_tech_services", now=now)
    make_inflow(store, services.id, received_on=last_year, amount_usd=10_000_000, now=now)
    trade = make_project(store, name="首页贸易项目", signed_on=signed, manufacturing=False, high_tech=False, now=now)
    make_inflow(store, trade.id, received_on=week.start, amount_usd=20_000_000, now=now)
    make_lead(store, title="首页巡检线索", score=60.0, now=now)
    snapshot_weeks(store, week.end - timedelta(weeks=8), week.end, now=utcnow())
    generate(store, week, actor=SYSTEM, now=utcnow(), scoring=scoring(), regenerate=True, deliver=False)
    return live_server, week


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_leader_sees_every_figure_on_one_laptop_screen_and_on_a_phone(browser, reported, lang):
    live, week = reported
    context = browser.new_context(locale="zh-CN", viewport=LAPTOP)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(str(exc)))
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.on("request", lambda r: problems.append(r.url) if not r.url.startswith((live.url, "data:")) else None)
    try:
        log_in(tab, live, "viewer")
        if lang == "en":
            tab.goto(live.url + "/lang/en?next=/")
        tab.wait_for_selector("#leader-fdi")
        assert tab.locator("#leader-warnings li").count() == 4
        assert tab.locator("#leader-week a").get_attribute("href") == f"/reports/{week.id}"
        bottoms = {card: tab.locator(f"#{card}").evaluate("el => el.getBoundingClientRect().bottom") for card in CARDS}
        shot(tab, f"leader-home-{lang}-1366", full_page=False)
        assert max(bottoms.values()) <= FIRST_SCREEN, bottoms
        tab.set_viewport_size({"width": 390, "height": 800})
        width = tab.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], width
        shot(tab, f"leader-home-{lang}-390")
        tab.click("#leader-fdi-ytd")
        tab.wait_for_selector("#section-fdi")
        assert tab.url.endswith(f"/reports/{week.id}#section-fdi")
    finally:
        context.close()
    assert problems == []


def test_the_trend_is_drawn_from_the_kept_weeks(browser, reported):
    live, week = reported
    context = browser.new_context(locale="zh-CN", viewport=LAPTOP)
    tab = context.new_page()
    try:
        log_in(tab, live, "viewer")
        points = tab.locator("#leader-resilience svg.spark polyline").get_attribute("points")
        assert len(points.split()) >= 2
    finally:
        context.close()
