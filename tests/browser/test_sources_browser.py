"""Long citations, as the seeds hold them (addresses without spaces), fit a phone's width where facts show
their sources: the company page, a chain link's panel and the steward's page, in a real browser at 390 px."""
from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import log_in
from tests.factories import make_presence

pytestmark = pytest.mark.browser

CITATION = ("companies.csv: Bosch–Qingling hydrogen-powertrain JV; groundbreaking in 九龙坡区 on 2021-12-22 "
            "(中国能源资讯网 / ne21.com, 2024-04, https://ne21.com/news/show-0000000000000000000000000000.html)")
WIDE_JS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.mark.parametrize("path", ["/companies/catl", "/chains/nev?link=nev.cell", "/sources?kind=presence"])
def test_a_long_citation_fits_a_phone(browser, live_server, path):
    make_presence(live_server.store, "catl", "500106", source=CITATION, sources=[CITATION, CITATION + " (2)"],
                  source_date=date(2024, 4, 1))
    live_server.store.write("MATCH (:Company {id: 'catl'})-[m:MAKES]->(:ChainNode {id: 'nev.cell'}) "
                            "SET m.source = $s, m.sources = [$s]", {"s": CITATION})
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    try:
        log_in(tab, live_server, "staff")
        tab.goto(live_server.url + path)
        assert "ne21.com/news" in tab.content()
        scroll, width = tab.evaluate(WIDE_JS)
        assert scroll <= width, f"{path} is {scroll} px wide at {width} px"
    finally:
        context.close()
