"""The weekly report lists the projects stalled at the week's end with their reasons (issue 14, item 1), as
they stood that week: a project registered later is still listed in the earlier week's report."""
from __future__ import annotations

from datetime import date

from crm.base.access import SYSTEM
from crm.projects import lifecycle
from crm.reports import Week, build, render_html
from tests.factories import NOW, make_project, make_reference
from web.reports import words

WEEK = Week.parse("2026-W46")


def test_a_stalled_project_is_listed_with_its_reason_and_stays_in_its_past_week(store):
    make_reference(store)
    project = make_project(store, signed_on=date(2025, 3, 3), contracted_fdi_usd=0)
    before = build(store, WEEK, now=NOW, scoring=None)["pipeline"]
    assert before["stalled_total"] == 1
    [row] = before["stalled"]
    assert row["project_id"] == project.id and [r["code"] for r in row["reasons"]] == ["slow_registration"]
    assert "60 个工作日仍未注册" in row["reasons"][0]["zh"]
    lifecycle.move_project(store, project.id, "registered", on=date(2026, 11, 20), reason=None, actor=SYSTEM,
                           now=NOW, expected_version=None)
    assert build(store, WEEK, now=NOW, scoring=None)["pipeline"]["stalled"] == before["stalled"]
    assert build(store, Week.parse("2026-W47"), now=NOW, scoring=None)["pipeline"]["stalled_total"] == 0


def test_the_report_page_shows_the_stalled_table(store):
    make_reference(store)
    make_project(store, signed_on=date(2025, 3, 3), contracted_fdi_usd=0)
    page = render_html.fragment(build(store, WEEK, now=NOW, scoring=None), words("zh"))
    assert "周末停滞项目（1个）" in page and "停滞原因" in page and "60 个工作日仍未注册" in page
