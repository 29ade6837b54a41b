"""Project pages: the list within each role's limits, and a project's capital, incentives, issues and notes."""
import pytest

from crm.projects import firm_issues, inflows, projects
from tests.factories import make_issue
from tests.pages.conftest import form_post
from tests.pages.world import XSS

ROLES = ["staff", "admin", "chain_leader", "district_officer", "viewer"]


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_projects_it_may(request, world, role):
    client = request.getfixturevalue(role)
    page = html(client, "/projects")
    sees_yz = role in ("staff", "admin", "viewer")
    assert (f"/projects/{world.proj_yz.id}" in page) == sees_yz
    assert "博世功率半导体扩产" in html(client, f"/projects/{world.proj_lj.id}")


def test_a_district_officer_cannot_open_another_districts_project(district_officer, world):
    assert district_officer.get(f"/projects/{world.proj_yz.id}").status_code == 404
    r = form_post(district_officer, f"/projects/{world.proj_yz.id}/inflows",
                  {"received_on": "2025-06-30", "amount_usd": "1000", "kind": "equity"})
    assert r.status_code == 404


def test_it_filters_and_searches_projects(staff, world):
    page = html(staff, "/projects?district=500103")
    assert world.proj_yz.id in page and world.proj_lj.id not in page
    page = html(staff, "/projects?q=宁德")
    assert world.proj_yz.id in page and world.proj_lj.id not in page
    page = html(staff, "/projects?high_tech=true")
    assert world.proj_lj.id in page and world.proj_yz.id not in page
    assert world.proj_lj.id in html(staff, "/projects?signed_year=2023&sort=-contracted_fdi_usd")


def test_the_project_page_shows_capital_incentives_with_reasons_and_issues(staff, world):
    page = html(staff, f"/projects/{world.proj_lj.id}")
    assert "3,500 万美元" in page and "各年度奖励" in page
    assert "2024" in page and "140 万元" in page and "按不低于4%" in page
    assert "夏季限电影响生产" in page and "待处理" in page and "渝中用工短缺" not in page


def test_english_shows_the_incentive_in_rmb_millions_with_english_reasons(staff, world):
    staff.get("/lang/en?next=/")
    page = html(staff, f"/projects/{world.proj_lj.id}")
    assert "RMB 1.4 m" in page and "USD 35 m" in page and "at least 4%" in page


def test_an_inflow_is_recorded_and_bad_input_refused_beside_the_fields(staff, world, store):
    before = len(inflows.inflows_of(store, world.proj_lj.id))
    r = form_post(staff, f"/projects/{world.proj_lj.id}/inflows",
                  {"received_on": "2027-01-01", "amount_usd": "0", "kind": "equity"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "不能晚于今天" in body and "请填写大于 0 的美元整数金额" in body
    r = form_post(staff, f"/projects/{world.proj_lj.id}/inflows",
                  {"received_on": "someday", "amount_usd": "12,000,000", "kind": "equity"})
    assert r.status_code == 422 and "YYYY-MM-DD" in r.get_data(as_text=True)
    assert len(inflows.inflows_of(store, world.proj_lj.id)) == before
    r = form_post(staff, f"/projects/{world.proj_lj.id}/inflows",
                  {"received_on": "2025-06-30", "amount_usd": "12,000,000", "kind": "equity"})
    assert r.status_code == 302
    assert len(inflows.inflows_of(store, world.proj_lj.id)) == before + 1
    assert "2025" in html(staff, f"/projects/{world.proj_lj.id}")


def test_an_issue_is_logged_and_one_without_a_title_refused(district_officer, world, store):
    url = f"/projects/{world.proj_lj.id}/issues"
    r = form_post(district_officer, url, {"category": "logistics", "title": ""})
    assert r.status_code == 422 and "此项为必填项" in r.get_data(as_text=True)
    assert firm_issues.list_issues(store, firm_issues.IssueQuery(project=world.proj_lj.id),
                                   actor=district_officer.user.actor()).total == 1
    r = form_post(district_officer, url, {"category": "logistics", "title": "中欧班列舱位紧张", "description": XSS})
    assert r.status_code == 302
    page = html(district_officer, f"/projects/{world.proj_lj.id}")
    assert "中欧班列舱位紧张" in page and XSS not in page and "&lt;script&gt;" in page


def test_an_issue_moves_on_from_its_row_and_a_stale_or_wrong_move_is_refused(district_officer, world, store):
    issue = make_issue(store, world.proj_lj.id, title="用电指标不足")
    page_url = f"/projects/{world.proj_lj.id}"
    url = f"{page_url}/issues/{issue.id}/status"
    assert f'action="{url}"' in html(district_officer, page_url)
    r = form_post(district_officer, url, {"status": "in_progress", "version": str(issue.version)}, page_url)
    assert r.status_code == 302 and r.location.endswith("#issues")
    assert firm_issues.fetch(store, issue.id).status == "in_progress"
    stale = form_post(district_officer, url, {"status": "resolved", "version": str(issue.version)}, page_url)
    assert stale.status_code == 422 and "请刷新页面" in stale.get_data(as_text=True)
    skipping = form_post(district_officer, url, {"status": "open", "version": str(issue.version + 1)}, page_url)
    assert skipping.status_code == 422 and firm_issues.fetch(store, issue.id).status == "in_progress"
    resolved = form_post(district_officer, url, {"status": "resolved", "version": str(issue.version + 1)}, page_url)
    assert resolved.status_code == 302
    assert firm_issues.fetch(store, issue.id).resolved_on is not None


def test_a_chain_leader_hands_an_issue_to_a_colleague_and_a_stale_row_is_refused(chain_leader, staff, world, store):
    issue = make_issue(store, world.proj_lj.id)
    page_url = f"/projects/{world.proj_lj.id}"
    url = f"{page_url}/issues/{issue.id}/owner"
    assert f'action="{url}"' in html(chain_leader, page_url)
    r = form_post(chain_leader, url, {"owner_id": staff.user.id, "version": str(issue.version)}, page_url)
    assert r.status_code == 302 and firm_issues.fetch(store, issue.id).owner_id == staff.user.id
    stale = form_post(chain_leader, url, {"owner_id": "", "version": str(issue.version)}, page_url)
    assert stale.status_code == 422 and firm_issues.fetch(store, issue.id).owner_id == staff.user.id
    unknown = form_post(chain_leader, url, {"owner_id": "user-nobody", "version": str(issue.version + 1)}, page_url)
    assert unknown.status_code == 422 and firm_issues.fetch(store, issue.id).owner_id == staff.user.id


def test_an_issue_of_another_project_is_not_moved_through_this_one(staff, world, store):
    issue = make_issue(store, world.proj_yz.id)
    r = form_post(staff, f"/projects/{world.proj_lj.id}/issues/{issue.id}/status",
                  {"status": "in_progress", "version": str(issue.version)})
    assert r.status_code == 404 and firm_issues.fetch(store, issue.id).status == "open"


def _edit_form(project, **changes):
    form = {"name": project.name, "kind": project.kind, "signed_on": project.signed_on.isoformat(),
            "total_investment_usd": str(project.total_investment_usd or ""),
            "contracted_fdi_usd": str(project.contracted_fdi_usd or ""), "industry_category": project.industry_category or "",
            "district_id": project.district_id, "link_id": project.link_id or "", "owner_id": project.owner_id or "",
            "version": str(project.version),
            **{flag: "1" for flag in ("manufacturing", "high_tech", "high_tech_services", "rd_centre", "regional_hq")
               if getattr(project, flag)}}
    return {**form, **changes}


def test_a_project_s_facts_are_corrected_and_its_incentive_follows(district_officer, world, store):
    page_url = f"/projects/{world.proj_lj.id}"
    assert f'href="{page_url}/edit"' in html(district_officer, page_url)
    r = form_post(district_officer, f"{page_url}/edit",
                  _edit_form(world.proj_lj, name="博世功率半导体二期", industry_category="real_estate"), f"{page_url}/edit")
    assert r.status_code == 302 and r.location == page_url
    saved = projects.fetch(store, world.proj_lj.id)
    assert saved.name == "博世功率半导体二期" and saved.industry_category == "real_estate" and saved.incentive_excluded
    assert not saved.manufacturing, "the manufacturing flag follows the category (crm/projects/rules.py)"


def test_a_reward_another_scheme_already_paid_is_withheld_on_the_page(staff, world, store):
    url = f"/projects/{world.proj_lj.id}"
    form = _edit_form(world.proj_lj, capital_support_elsewhere="两江新区外资奖励")
    assert form_post(staff, f"{url}/edit", form, f"{url}/edit").status_code == 302
    page = html(staff, url)
    assert "不重复支持，暂缓140 万元" in page and "按照同一方向不重复支持" in page
    too_long = form_post(staff, f"{url}/edit", _edit_form(projects.fetch(store, world.proj_lj.id),
                                                         rd_support_elsewhere="长" * 201), f"{url}/edit")
    assert too_long.status_code == 422 and projects.fetch(store, world.proj_lj.id).rd_support_elsewhere is None


def test_a_bad_or_stale_project_form_is_refused_and_nothing_changes(staff, world, store):
    url = f"/projects/{world.proj_lj.id}/edit"
    bad = form_post(staff, url, _edit_form(world.proj_lj, name="", contracted_fdi_usd="lots"), url)
    assert bad.status_code == 422 and bad.get_data(as_text=True).count("aria-invalid=true") >= 1
    assert form_post(staff, url, _edit_form(world.proj_lj, name="博世一期"), url).status_code == 302
    stale = form_post(staff, url, _edit_form(world.proj_lj, name="博世三期"), url)
    assert stale.status_code == 422 and "请刷新页面" in stale.get_data(as_text=True)
    assert projects.fetch(store, world.proj_lj.id).name == "博世一期"


def test_a_viewer_reads_but_gets_no_forms(viewer, world):
    page = html(viewer, f"/projects/{world.proj_lj.id}")
    assert "登记到位资金" not in page and "登记诉求" not in page and "添加备注" not in page
    assert form_post(viewer, f"/projects/{world.proj_lj.id}/inflows",
                     {"received_on": "2025-06-30", "amount_usd": "1", "kind": "equity"}).status_code == 403


def test_a_note_on_a_project_is_added(staff, world):
    assert form_post(staff, f"/projects/{world.proj_lj.id}/notes", {"body": "三送一访：已送政策"}).status_code == 302
    assert "三送一访：已送政策" in html(staff, f"/projects/{world.proj_lj.id}")


def test_a_project_is_moved_on_from_its_page_and_a_bad_move_is_refused_beside_the_form(staff, world, store):
    url = f"/projects/{world.proj_lj.id}"
    version = projects.fetch(store, world.proj_lj.id).version
    bad = form_post(staff, f"{url}/stage", {"to": "withdrawn", "on": "2024-06-01", "version": version}, url)
    assert bad.status_code == 422 and "aria-invalid=true" in bad.get_data(as_text=True)
    ok = form_post(staff, f"{url}/stage", {"to": "registered", "on": "2024-06-01", "version": version}, url)
    assert ok.status_code == 302
    page = html(staff, url)
    assert "注册" in page and "落地" in page
    assert projects.fetch(store, world.proj_lj.id).landed_on.isoformat() == "2024-06-01"


def test_a_viewer_sees_the_stage_but_no_move_form(viewer, world):
    page = html(viewer, f"/projects/{world.proj_lj.id}")
    assert 'id="stage"' in page and "/stage\"" not in page


def test_planned_days_are_set_from_the_edit_form_and_a_missed_one_shows_the_project_stalled(staff, world, store):
    url = f"/projects/{world.proj_lj.id}"
    bad = form_post(staff, f"{url}/edit", _edit_form(world.proj_lj, registered_planned_on="2020-01-01"), f"{url}/edit")
    assert bad.status_code == 422 and "aria-invalid=true" in bad.get_data(as_text=True)
    assert projects.fetch(store, world.proj_lj.id).registered_planned_on is None
    ok = form_post(staff, f"{url}/edit", _edit_form(world.proj_lj, registered_planned_on="2023-06-01"), f"{url}/edit")
    assert ok.status_code == 302
    page = html(staff, url)
    assert "停滞" in page and "计划 2023-06-01 注册，至今未注册" in page and "2023-06-01" in page
    staff.get(f"/lang/en?next={url}")
    assert "planned to reach “Registered” by 2023-06-01, not reached" in html(staff, url).replace("&#34;", '"')
