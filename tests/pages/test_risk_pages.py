"""The exit-risk watch page (固链) per role: dated signals shown escaped, chain leaders see their
chains only, the 固链 visit button schedules a visit, a viewer cannot use it."""
from __future__ import annotations

from datetime import date

import pytest

from crm.base.access import SYSTEM
from crm.projects.risk_signals import record_signal
from tests.factories import NOW, make_presence, make_project
from graph.cypher import merge_rels, upsert_nodes
from tests.pages.conftest import form_post


@pytest.fixture
def watched(store):
    make_presence(store, "bosch", "500157")
    make_presence(store, "infineon", "500106")
    record_signal(store, {"company_id": "bosch", "district_id": "500157", "kind": "parent_closure",
                          "signal_on": date(2026, 11, 2), "note": "<script>alert(1)</script>母公司宣布关闭"},
                  actor=SYSTEM, now=NOW)
    return make_project(store)


def test_staff_see_the_dated_signal_escaped_and_the_visit_button(staff, watched):
    html = staff.get("/risk").get_data(as_text=True)
    assert "2026-11-02" in html and "&lt;script&gt;alert(1)&lt;/script&gt;母公司宣布关闭" in html
    assert "<script>alert(1)" not in html
    assert "/risk/bosch/visit" in html


def test_the_visit_button_schedules_a_visit(staff, watched, store):
    r = form_post(staff, "/risk/bosch/visit", {"next": "/risk"}, page_url="/risk")
    assert r.status_code == 302
    rows = store.read("MATCH (f:FollowUp)-[:ABOUT]->(p:Project {id: $id}) RETURN f.kind AS kind", {"id": watched.id})
    assert [r["kind"] for r in rows] == ["visit"]


def test_chain_leader_sees_their_chains_only(chain_leader, staff, watched, store):
    upsert_nodes(store, "Company", [{"id": "lges", "name_zh": "LG新能源", "name_en": "LG Energy", "country": "KR"}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [{"src": "lges", "dst": "nev.cell"}])
    make_presence(store, "lges", "500157")
    html = chain_leader.get("/risk").get_data(as_text=True)
    assert "/companies/bosch" in html and "/companies/infineon" in html
    assert "/companies/lges" not in html
    assert "/companies/lges" in staff.get("/risk").get_data(as_text=True)  # on the list, not in their chain


def test_district_officer_sees_their_district_only(district_officer, watched):
    html = district_officer.get("/risk").get_data(as_text=True)
    assert "/companies/bosch" in html and "/companies/infineon" not in html


def test_viewer_reads_but_has_no_button_and_cannot_post(viewer, watched):
    html = viewer.get("/risk").get_data(as_text=True)
    assert "/companies/bosch" in html and "/risk/bosch/visit" not in html
    assert form_post(viewer, "/risk/bosch/visit", {}, page_url="/risk").status_code == 403


def test_the_company_page_shows_the_firm_s_score_and_dated_signals_escaped(staff, watched):
    html = staff.get("/companies/bosch").get_data(as_text=True)
    assert "2026-11-02" in html and "&lt;script&gt;alert(1)&lt;/script&gt;母公司宣布关闭" in html
    assert "<script>alert(1)" not in html


def test_a_firm_without_a_project_gets_the_reason_in_chinese(staff, watched):
    r = form_post(staff, "/risk/infineon/visit", {"next": "/risk"}, page_url="/risk")
    assert r.status_code == 302
    html = staff.get("/risk").get_data(as_text=True)
    assert "该企业在系统中尚无项目" in html and "hang" not in html


def test_signal_explanations_speak_the_reader_s_language(staff, store, watched):
    from tests.factories import make_issue

    make_issue(store, watched.id, opened_on=date(2026, 8, 1), title="用电增容")
    assert "企业诉求“用电增容”自 2026-08-01 起未解决" in staff.get("/risk").get_data(as_text=True)
    staff.get("/lang/en")
    html = staff.get("/risk").get_data(as_text=True)
    assert "issue “用电增容” open since 2026-08-01" in html


def test_staff_record_a_signal_from_the_company_page_and_bad_input_records_nothing(staff, watched, store):
    page = "/companies/infineon"
    bad = form_post(staff, "/companies/infineon/risk-signals", {"kind": "lease_end", "district_id": "500106",
                                                               "signal_on": "soon"}, page_url=page)
    assert bad.status_code == 422 and 'value="lease_end" selected' in bad.get_data(as_text=True)
    assert store.read("MATCH (s:RiskSignal)-[:FLAGS]->(:Company {id: 'infineon'}) RETURN count(s) AS n")[0]["n"] == 0
    r = form_post(staff, "/companies/infineon/risk-signals", {"kind": "lease_end", "district_id": "500106",
                                                             "signal_on": "2027-01-31", "note": "厂房租约到期"},
                  page_url=page)
    assert r.status_code == 302
    html = staff.get(page).get_data(as_text=True)
    assert "2027-01-31" in html and "厂房租约到期" in html


def test_viewers_have_no_signal_form_and_cannot_post_one(viewer, watched):
    assert "/companies/bosch/risk-signals" not in viewer.get("/companies/bosch").get_data(as_text=True)
    r = form_post(viewer, "/companies/bosch/risk-signals", {"kind": "lease_end", "district_id": "500157",
                                                          "signal_on": "2027-01-31"}, page_url="/companies/bosch")
    assert r.status_code == 403
