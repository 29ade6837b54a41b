"""Report pages: the list with its generate form for admins and staff, each report in the reader's
language with its charts inline, and the menu entry."""
from datetime import date

import pytest

from tests.factories import make_inflow, make_project
from tests.pages.conftest import form_post

WEEK = "2026-W46"


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


@pytest.fixture
def stored(staff, store):
    project = make_project(store, signed_on=date(2026, 11, 9))
    make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    r = form_post(staff, "/reports", {"week": WEEK}, "/reports")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/reports/{WEEK}")
    return WEEK


def test_staff_generate_a_week_from_the_list_and_read_it(staff, stored):
    page = html(staff, "/reports")
    assert f'href="/reports/{WEEK}"' in page and 'name="week"' in page and "2026-W46" in page
    report = html(staff, f"/reports/{WEEK}")
    assert "招商周报" in report and "一、外资目标完成情况" in report and "七、财政奖励" in report
    assert report.count('src="data:image/png;base64,') >= 3 and "/reports/report.css" in report
    assert f"/api/v1/reports/{WEEK}.docx" in report


def test_the_manufacturing_share_is_measured_against_the_issued_plans_floor(staff, stored):
    """The plan as issued (2022-09-20) asks for 制造业吸收外资占比30%以上, not the draft's 25%左右."""
    report = html(staff, f"/reports/{WEEK}")
    assert "目标30%以上" in report and "左右" not in report
    staff.get("/lang/en")
    assert "target 30% or more" in html(staff, f"/reports/{WEEK}")


def test_the_report_reads_in_english_for_an_english_reader(staff, stored):
    staff.get("/lang/en")
    report = html(staff, f"/reports/{WEEK}")
    assert "Weekly investment promotion report" in report and "1. FDI against the plan" in report


@pytest.mark.parametrize("role", ["viewer", "chain_leader", "district_officer"])
def test_other_roles_read_but_get_no_generate_form(request, stored, role):
    client = request.getfixturevalue(role)
    assert 'name="week"' not in html(client, "/reports")
    assert "招商周报" in html(client, f"/reports/{WEEK}")
    assert form_post(client, "/reports", {"week": "2026-W45"}, "/reports").status_code == 403


def test_a_week_already_stored_is_replaced_only_when_ticked(staff, stored):
    again = form_post(staff, "/reports", {"week": WEEK}, "/reports")
    assert again.status_code == 422 and "regenerat" in again.get_data(as_text=True)
    assert form_post(staff, "/reports", {"week": WEEK, "regenerate": "1"}, "/reports").status_code == 302


def test_bad_weeks_are_explained_beside_the_field(staff):
    r = form_post(staff, "/reports", {"week": "2026-W99"}, "/reports")
    assert r.status_code == 422 and "2026 has no week 99" in r.get_data(as_text=True)
    assert staff.get("/reports/2026-W45").status_code == 404


def test_the_stylesheet_and_the_menu_entry(staff):
    css = staff.get("/reports/report.css")
    assert css.status_code == 200 and css.mimetype == "text/css" and ".report" in css.get_data(as_text=True)
    assert 'href="/reports"' in html(staff, "/")


def test_what_users_typed_is_shown_as_text(staff, store):
    from crm.base.access import SYSTEM
    from crm.pipeline.leads import move_lead
    from crm.base.workdays import at_local
    from tests.factories import make_lead
    from tests.pages.world import XSS

    lead = make_lead(store, title=XSS, now=at_local(date(2026, 11, 9), 10))
    move_lead(store, lead.id, "dropped", actor=SYSTEM, now=at_local(date(2026, 11, 10), 10), expected_version=None,
              reason=XSS)
    assert form_post(staff, "/reports", {"week": WEEK}, "/reports").status_code == 302
    page = html(staff, f"/reports/{WEEK}")
    assert XSS not in page and "&lt;script" in page


def test_a_district_officer_s_page_names_only_their_district_s_projects_and_says_so(staff, district_officer,
                                                                                    store):
    for name, district in (("两江项目", "500157"), ("渝中项目", "500103")):
        project = make_project(store, name=name, district_id=district, signed_on=date(2026, 11, 9))
        make_inflow(store, project.id, received_on=date(2026, 11, 10), amount_usd=35_000_000)
    assert form_post(staff, "/reports", {"week": WEEK}, "/reports").status_code == 302
    assert "渝中项目" in html(staff, f"/reports/{WEEK}")
    page = html(district_officer, f"/reports/{WEEK}")
    assert "两江项目" in page and "渝中项目" not in page
    assert "含项目、线索或人员名称的明细仅列您所辖区县（两江新区）；合计为全市数据。" in page
    assert "签约" in page and "仅列" not in html(staff, f"/reports/{WEEK}")
