"""Every page as every role at desk (1366 px) and phone (390 px) width: no console error, no failed
request, no sideways scrolling and, in the Chinese UI, no English UI string left untranslated.

Pages are discovered from the app's url_map (every GET page without arguments), plus one page per
endpoint with arguments reached by a link from those pages, so new pages are swept when they exist.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from werkzeug.exceptions import HTTPException

from crm.base.access import SYSTEM
from crm.base.clock import utcnow
from crm.reports import Week, generate
from tests.browser.conftest import PERSONAS, log_in
from tests.conftest import ROOT
from tests.factories import make_lead, make_project
from web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("sweep")]  # one module fixture, one worker

WIDTHS = (1366, 390)
SKIPPED_ENDPOINTS = {"pages.logout", "pages.set_language", "pages.login", "static"}
TILE_HOSTS = "**://*.is.autonavi.com/**"  # the default base map (web/maps/tiles.py)
CATALOG = ROOT / "web" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"

TEXTS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script,style,code,pre,[translate=no]')) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  document.querySelectorAll('[placeholder],[title],[aria-label],input[type=submit]').forEach(el => {
    ['placeholder', 'title', 'aria-label', 'value'].forEach(a => {
      if (el.getAttribute(a) && (a !== 'value' || el.type === 'submit')) out.push(el.getAttribute(a).trim());
    });
  });
  return out;
}"""
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.right > width + 1 && getComputedStyle(el).position !== 'fixed' && !el.closest('.table-wrap,.kanban,.chain-flow,.chain-svg-wrap,.card.flush');
  }).slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide};
}"""


def translated_msgids() -> set[str]:
    """UI strings of the catalogue that have a different Chinese text: seen as-is in a zh page, they are untranslated."""
    with Path(CATALOG).open("rb") as handle:
        catalog = read_po(handle)
    ids = set()
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.string and message.string != message.id \
                and "%(" not in message.id and "{" not in message.id and any(c.isalpha() for c in message.id):
            ids.add(message.id.strip())
    return ids


def page_paths(app) -> tuple[list[str], set[str]]:
    """GET pages without arguments, and the endpoints with arguments to reach by links."""
    plain, with_args = [], set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS or not rule.endpoint.startswith("pages."):
            continue
        if rule.arguments:
            with_args.add(rule.endpoint)
        else:
            plain.append(rule.rule)
    return sorted(plain), with_args


@pytest.fixture(scope="module")
def seeded(live_server):
    staff = live_server.users["staff"]
    make_lead(live_server.store, owner_id=staff.id, title="宁德时代巡检线索", score=60.0)
    make_project(live_server.store, name="博世巡检项目")
    generate(live_server.store, Week.last_completed(utcnow()), actor=SYSTEM, now=utcnow(), scoring=None,
             regenerate=True, deliver=False)  # so the report page is swept too
    return live_server


@pytest.mark.parametrize("username", list(PERSONAS))
def test_every_page_is_clean_for_every_role_at_desk_and_phone_width(browser, seeded, username):
    live = seeded
    app = create_app({"TESTING": True, "STORE": live.store})
    plain, with_args = page_paths(app)
    adapter = app.url_map.bind("127.0.0.1")
    msgids = translated_msgids()
    problems: list[str] = []
    visit: list[str] = []  # this page's problems, dropped when the role may not open it (403 on purpose)
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 900})
    context.route(TILE_HOSTS, lambda route: route.abort("namenotresolved"))  # no internet, as on the intranet
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.on("console", lambda msg: visit.append(f"console {msg.type}: {msg.text}")
           if msg.type == "error" and "autonavi" not in (msg.location or {}).get("url", "") else None)
    tab.on("pageerror", lambda error: visit.append(f"page error: {error}"))
    tab.on("response", lambda response: visit.append(f"{response.status} {response.url}")
           if response.status >= 400 else None)
    try:
        log_in(tab, live, username)
        queue, seen_endpoints, visited = list(plain), set(), set()
        while queue:
            path = queue.pop(0)
            if path in visited:
                continue
            visited.add(path)
            visit.clear()
            tab.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = tab.goto(live.url + path, wait_until="load")
            if response is not None and response.status == 403:
                continue
            for text in tab.evaluate(TEXTS_JS):
                if text in msgids:
                    visit.append(f"untranslated in zh: {text!r}")
            for width in WIDTHS:
                tab.set_viewport_size({"width": width, "height": 900})
                box = tab.evaluate(OVERFLOW_JS)
                if box["scroll"] > box["width"]:
                    visit.append(f"@{width}: {box['scroll']} px wide: {box['wide']}")
            for href in tab.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))"):
                parts = urlsplit(href)
                if parts.netloc or not parts.path.startswith("/"):
                    continue
                try:
                    endpoint, _ = adapter.match(parts.path, method="GET")
                except HTTPException:
                    continue
                if endpoint in with_args and endpoint not in seen_endpoints:
                    seen_endpoints.add(endpoint)
                    queue.append(parts.path + ("?" + parts.query if parts.query else ""))
            problems.extend(f"{path}: {problem}" for problem in visit)
    finally:
        context.close()
    assert not problems, "\n".join(sorted(set(problems)))


def test_on_a_phone_the_menu_collapses_behind_a_visible_button_that_opens_it(page, live_server):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, "staff")
    button = page.locator("label.nav-toggle-label")
    assert button.is_visible() and not page.locator("nav.nav").is_visible()
    style = button.evaluate("el => { const s = getComputedStyle(el); return [s.color, s.borderTopStyle, el.offsetWidth]; }")
    assert style[0] == "rgb(255, 255, 255)" and style[1] == "solid" and style[2] >= 32  # white on the red bar, framed
    button.click()
    assert page.locator("nav.nav a").first.is_visible()
