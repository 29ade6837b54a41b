"""The chain cockpit, the gap map, events and tasks in a real browser (headless chromium)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, shot
from tests.browser.test_pages_browser import outside_requests
from tests.factories import make_event

pytestmark = pytest.mark.browser
CURRENT_POLYGONS = 37  # seeds/boundaries.geojson's 39 features less 江北区 and 渝北区 (abolished 2025-11-06)


def test_a_chain_leader_lands_on_the_cockpit_and_opens_a_gap(page, live_server):
    log_in(page, live_server, "chain_leader")
    page.click("a[href='/chains/nev']")
    page.wait_for_selector("svg.chain-svg")
    assert page.locator("a.link-node").count() == 3
    shot(page, "cockpit-chain-leader")
    page.click("a.link-node[data-link='nev.cell']")
    page.wait_for_selector("#link ul.partners")
    panel = page.locator("#link")
    # CATL, a mainland maker, is a domestic partner for the gap, not an FDI target (issue 14, item 8)
    assert "动力电池电芯" in panel.text_content() and "宁德时代" in panel.locator("ul.partners").text_content()
    assert page.locator("a.link-node.selected").get_attribute("data-link") == "nev.cell"
    shot(page, "cockpit-gap-opened")


def test_the_gap_map_draws_the_district_polygons(page, live_server):
    seen = outside_requests(page, live_server)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "staff")
    page.goto(live_server.url + "/map?chain=nev&tiles=none")
    frame = page.frame_locator("iframe.map-frame")
    frame.locator("path.district").first.wait_for()
    assert frame.locator("path.district").count() == CURRENT_POLYGONS
    assert frame.locator(".leaflet-control-layers").count() == 1 and frame.locator(".chainlead-legend").count() == 1
    frame.locator("path.district").nth(20).click(force=True)
    frame.locator(".leaflet-popup-content").wait_for()
    shot(page, "gap-map")
    assert seen == [] and [e for e in errors if "favicon" not in e] == []


def test_the_cockpit_switches_to_english_with_one_click(page, live_server):
    log_in(page, live_server, "staff")
    page.goto(live_server.url + "/chains/nev?link=nev.cell")
    page.click("a.lang")
    page.wait_for_selector("text=Chain map, upstream to downstream")
    assert page.locator("a.link-node[data-link='nev.cell'] text.name").text_content() == "Battery cells"
    shot(page, "cockpit-en")
    page.click("a.lang")
    page.wait_for_selector("text=产业链图谱（上游至下游）")


def test_cockpit_map_events_and_tasks_load_nothing_from_outside_and_break_no_policy(page, live_server):
    event = make_event(live_server.store, owner_id=live_server.users["staff"].id)
    seen = outside_requests(page, live_server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "staff")
    for name, path in (("chains", "/chains"), ("cockpit", "/chains/electronics?link=electronics.chip"),
                       ("map-all", "/map?tiles=none"), ("events", "/events"), ("event", f"/events/{event.id}"),
                       ("tasks", "/tasks")):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        shot(page, f"page-{name}")
    assert seen == [] and [e for e in errors if "favicon" not in e] == []
