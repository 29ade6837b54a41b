"""The gap map on an intranet: when the base map's tile host cannot be reached, the map falls back
to the district boundaries with a note, quickly and after a single failed request."""
from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, shot

pytestmark = pytest.mark.browser
AMAP = "**://*.is.autonavi.com/**"


def tile_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if "autonavi" in request.url else None)
    return seen


@pytest.mark.parametrize("locale, note", [("zh", "底图"), ("en", "base map's tiles could not be loaded")])
def test_unreachable_tiles_fall_back_to_the_boundaries_with_a_note(page, live_server, locale, note):
    page.route(AMAP, lambda route: route.abort("namenotresolved"))
    tiles = tile_requests(page)
    log_in(page, live_server, "staff")
    if locale == "en":
        page.goto(live_server.url + "/lang/en")
    page.goto(live_server.url + "/map?chain=nev")
    frame = page.frame_locator("iframe.map-frame")
    frame.locator(".chainlead-tiles-note").wait_for(timeout=5_000)
    assert note in frame.locator(".chainlead-tiles-note").text_content()
    assert frame.locator("path.district").count() > 30 and frame.locator("img.leaflet-tile").count() == 0
    assert len(tiles) == 1, tiles  # one probe, not a screenful of failing tiles
    shot(page, f"gap-map-offline-{locale}")


def test_a_tile_host_that_never_answers_falls_back_after_the_timeout(page, live_server):
    page.route(AMAP, lambda route: None)  # the request hangs, as behind an intranet's silent DNS
    log_in(page, live_server, "staff")
    page.goto(live_server.url + "/map?chain=nev", wait_until="load")
    frame = page.frame_locator("iframe.map-frame")
    assert frame.locator("path.district").count() > 30  # the boundaries do not wait for the tiles
    frame.locator(".chainlead-tiles-note").wait_for(timeout=6_000)


def test_reachable_tiles_are_drawn_without_a_note(page, live_server):
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
    page.route(AMAP, lambda route: route.fulfill(status=200, content_type="image/png", body=png))
    log_in(page, live_server, "staff")
    page.goto(live_server.url + "/map?chain=nev")
    frame = page.frame_locator("iframe.map-frame")
    frame.locator("img.leaflet-tile-loaded").first.wait_for(timeout=5_000)
    assert frame.locator(".chainlead-tiles-note").count() == 0
