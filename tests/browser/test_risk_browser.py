"""The exit-risk watch (固链) and a watched firm's company page in a real browser, in Chinese, at desk
and phone width: the dated signals are shown explained in Chinese, with no sideways scrolling, no
console error and no English UI string left."""
from __future__ import annotations

from datetime import date

import pytest

from crm.base.access import SYSTEM
from crm.base.clock import utcnow
from crm.projects.risk_signals import record_signal
from tests.browser.conftest import log_in
from tests.browser.test_sweep_browser import OVERFLOW_JS, TEXTS_JS, WIDTHS, translated_msgids
from tests.factories import make_company

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def watched(live_server):
    """A foreign firm present in 两江新区 making no link (so no gap moves for other browser tests), with a
    parent's closure and a lease end recorded in long notes."""
    firm = make_company(live_server.store, name_zh="巡检固链观察企业（德国）精密零部件制造有限公司", name_en="Watch Test GmbH",
                        aliases=[], country="DE", district_ids=["500157"], link_ids=[])
    for kind, on in (("parent_closure", date(2026, 11, 2)), ("lease_end", date(2027, 1, 31))):
        record_signal(live_server.store, {"company_id": firm.id, "district_id": "500157", "kind": kind,
                                          "signal_on": on, "note": "母公司公告全球产能整合，拟关闭部分海外工厂，重庆工厂在评估名单内" * 2},
                      actor=SYSTEM, now=utcnow())
    return firm


def test_the_watch_and_the_company_section_are_clean_in_chinese_at_desk_and_phone_width(browser, live_server, watched):
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    msgids = translated_msgids()
    try:
        log_in(tab, live_server, "staff")
        for path, shown in (("/risk", "固链走访"), (f"/companies/{watched.id}", "公告日期或到期日")):
            tab.set_viewport_size({"width": WIDTHS[0], "height": 900})
            tab.goto(live_server.url + path, wait_until="load")
            if path != "/risk":
                tab.click("#exit-risk summary")  # the staff's form to record a signal, open
            html = tab.content()
            assert shown in html and "2026-11-02" in html and "评估名单" in html, path
            problems += [f"{path}: untranslated {t!r}" for t in tab.evaluate(TEXTS_JS) if t in msgids]
            for width in WIDTHS:
                tab.set_viewport_size({"width": width, "height": 900})
                box = tab.evaluate(OVERFLOW_JS)
                if box["scroll"] > box["width"]:
                    problems.append(f"{path} @{width}: {box['scroll']} px wide: {box['wide']}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
