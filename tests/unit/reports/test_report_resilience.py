"""The weekly report's resilience section (issue 14, item 5): the city's and each chain's index at the
week's end against a week earlier, the links that moved it, and the kept trend, in every format."""
from __future__ import annotations

from datetime import date

from crm.base.access import SYSTEM
from crm.library.presence import end_presence
from crm.reports import Week, build, render_html
from scoring.hooks import provide
from scoring.resilience_trend import snapshot
from tests.factories import NOW
from tests.scoring_factories import make_world
from web.reports import words

WEEK = Week.parse("2026-W46")  # 2026-11-09 … 2026-11-15


def test_a_firm_leaving_in_the_week_lowers_the_index_and_is_named_with_its_link(store):
    make_world(store)
    snapshot(store, date(2026, 11, 8), now=NOW)
    end_presence(store, "catl", "500157", until=date(2026, 11, 12), reason="relocation", actor=SYSTEM, now=NOW)
    f = build(store, WEEK, now=NOW, scoring=provide())["chains"]
    rs = f["resilience"]
    assert rs["city"]["value"] < rs["city"]["previous"]
    assert {"link_id": "nev.cell", "what": "uncovered"} in rs["movers"]
    assert [p["week"] for p in rs["trend"]] == ["2026-W45"]
    nev = next(r for r in f["chains"] if r["id"] == "nev")
    assert nev["resilience"]["value"] < nev["resilience"]["previous"]
    page = render_html.fragment(build(store, WEEK, now=NOW, scoring=provide()), words("zh"))
    assert "产业链韧性指数" in page and "失去本地企业" in page
