"""Browser fixtures: the app served by waitress on 127.0.0.1, driven by Debian's chromium, headless.

Reuse them for any page: `live_server` (base URL, its store and personas), `page` (a fresh
Chinese-language browser tab), `log_in(page, live_server, username)` and `shot(page, name)`,
which saves a screenshot under test-artifacts/screenshots/. In CI a missing chromium fails the
run instead of skipping (tests/conftest.py fails CI runs with skipped browser tests too).
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

from graph.engines.embedded import EmbeddedStore
from tests.conftest import IN_CI, ROOT
from tests.factories import PASSWORD, make_reference, make_user
from web.app import create_app

CHROMIUM = Path(os.environ.get("CHAINLEAD_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags chromium keeps calling home, which floods a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PERSONAS = {
    "staff": ("staff", {}),
    "chain_leader": ("chain_leader", {"chains": ["nev"]}),
    "district_officer": ("district_officer", {"districts": ["500157"]}),
    "viewer": ("viewer", {}),
    "admin": ("admin", {}),
}


@dataclass
class LiveServer:
    url: str
    store: Any
    users: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `make system-packages` (Debian's chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app on an embedded store in a temporary folder, with the reference world and one user per role."""
    from waitress.server import create_server

    # The production default: a browser loads pages in parallel, and 256 MB overflowed (docs/deploy.md).
    store = EmbeddedStore(tmp_path_factory.mktemp("live") / "live.lbug", buffer_pool_mb=512)
    store.ensure_schema()
    make_reference(store)
    app = create_app({"TESTING": True, "STORE": store})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    live = LiveServer(f"http://127.0.0.1:{server.effective_port}", store)
    for username, (role, scope) in PERSONAS.items():
        live.users[username] = make_user(store, username, role, **scope)
    yield live
    server.close()
    thread.join(timeout=5)
    store.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def log_in(page: Any, live: LiveServer, username: str) -> None:
    page.goto(live.url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("header.topbar")
    page.wait_for_load_state("load")  # the stylesheet too: a check of what is visible needs the page's CSS applied


def shot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
