"""The pages in a real browser (headless chromium): search, follow-up, kanban, language, phone, no outside requests."""
from __future__ import annotations

import itertools

import pytest

from tests.browser.conftest import log_in, shot
from tests.factories import make_lead, make_project

pytestmark = pytest.mark.browser
_serial = itertools.count(1)


@pytest.fixture
def fresh_lead(live_server):
    """A new lead owned by staff with a title no other test uses (the live store is shared)."""
    n = next(_serial)
    return make_lead(live_server.store, owner_id=live_server.users["staff"].id,
                     title=f"宁德时代重庆电芯项目{n:03d}", score=68.0,
                     score_factors={"factors": {"gap": 0.9, "standing": 0.7, "synergy": 0.3, "policy_fit": 0.8,
                                                "engagement": 0.1, "district": 0.6},
                                    "weights": {"gap": 0.35, "standing": 0.2, "synergy": 0.15, "policy_fit": 0.15,
                                                "engagement": 0.05, "district": 0.1},
                                    "reason_zh": "补链：动力电池电芯本地无企业生产"})


def outside_requests(page, live_server) -> list[str]:
    """Record every request that leaves the app's own address (there must be none)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:") else None)
    return seen


def test_it_logs_in_and_finds_a_lead_by_a_chinese_search_term(page, live_server, fresh_lead):
    log_in(page, live_server, "staff")
    shot(page, "home-staff")
    page.click("nav.nav >> text=线索")
    page.fill("input[name=q]", "重庆电芯")
    page.click("form.filters button.primary")
    page.wait_for_selector(f"a[href='/leads/{fresh_lead.id}']")
    shot(page, "leads-search-zh")
    page.click(f"a[href='/leads/{fresh_lead.id}']")
    page.wait_for_selector("#why")
    assert page.locator("#why .factor").count() == 7  # every ranking factor, demand included
    shot(page, "lead-page")


def test_it_logs_a_follow_up(page, live_server, fresh_lead):
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/leads/{fresh_lead.id}")
    page.click("#followups summary >> text=记录跟进结果")  # the first follow-up the new lead got
    page.fill("#followups textarea[name=outcome]", "对方同意下月赴渝考察两江新区")
    page.click("#followups button >> text=记录跟进")
    page.wait_for_selector("#timeline >> text=对方同意下月赴渝考察两江新区")
    page.click("#followups summary >> text=安排跟进")
    form = page.locator("form[action$='/followups']")
    form.locator("select[name=kind]").select_option("video_link")
    form.locator("input[name=title]").fill("与亚太区总裁视频连线")
    form.locator("button").click()
    page.wait_for_selector(".flash.success")
    shot(page, "lead-follow-up-logged")


def card_stage(page, lead_id: str) -> str:
    return page.locator(f"#card-{lead_id}").evaluate("card => card.closest('.kanban-col').dataset.stage")


def test_it_moves_a_card_by_dragging_it_to_the_next_stage(page, live_server, fresh_lead):
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/leads/kanban?q={fresh_lead.title}")
    assert card_stage(page, fresh_lead.id) == "identified"
    with page.expect_navigation():
        page.drag_and_drop(f"#card-{fresh_lead.id}", ".kanban-col[data-stage=contacted]")
    page.wait_for_selector(f".kanban-col[data-stage=contacted] #card-{fresh_lead.id}")
    shot(page, "kanban-after-drag")


def test_a_refused_drag_shows_the_rule_and_moves_nothing(page, live_server, fresh_lead):
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/leads/kanban?q={fresh_lead.title}")
    page.drag_and_drop(f"#card-{fresh_lead.id}", ".kanban-col[data-stage=negotiating]")
    page.wait_for_selector("#kanban-status:not([hidden])")
    assert "不能从“已识别”跳到“洽谈中”" in page.text_content("#kanban-status")
    assert card_stage(page, fresh_lead.id) == "identified"
    shot(page, "kanban-refused-drag")


def test_the_cards_move_form_works_as_well(page, live_server, fresh_lead):
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/leads/kanban?q={fresh_lead.title}")
    card = page.locator(f"#card-{fresh_lead.id}")
    card.locator("summary").click()
    card.locator("select[name=to]").select_option("contacted")
    card.locator("button").click()
    page.wait_for_selector(".flash.success")
    assert card_stage(page, fresh_lead.id) == "contacted"


def test_it_switches_to_english_with_one_click(page, live_server, fresh_lead):
    log_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/leads/{fresh_lead.id}")
    page.click("a.lang")
    page.wait_for_selector("text=Why this lead")
    assert page.locator("nav.nav a", has_text="Leads").count() == 1
    shot(page, "lead-page-en")
    page.click("a.lang")
    page.wait_for_selector("text=推荐理由")


def test_every_page_renders_without_outside_requests(page, live_server, fresh_lead):
    project = make_project(live_server.store, name=f"博世功率半导体扩产{fresh_lead.id[-4:]}")
    seen = outside_requests(page, live_server)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server, "admin")
    for name, path in (("home-admin", "/"), ("leads", "/leads"), ("kanban", "/leads/kanban"),
                       ("lead-new", "/leads/new"), ("lead-edit", f"/leads/{fresh_lead.id}/edit"),
                       ("companies", "/companies"), ("company", "/companies/catl"), ("projects", "/projects"),
                       ("project", f"/projects/{project.id}"), ("users", "/users"), ("user-new", "/users/new"),
                       ("tokens", "/account/tokens"), ("company-new", "/companies/new"), ("audit", "/audit"),
                       ("history", f"/history/Lead/{fresh_lead.id}"), ("rules", "/assignment-rules"),
                       ("rule-new", "/assignment-rules/new")):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        shot(page, f"page-{name}")
    assert seen == [] and errors == []


@pytest.mark.parametrize("role", ["chain_leader", "district_officer", "viewer"])
def test_each_roles_home_renders(page, live_server, role):
    log_in(page, live_server, role)
    assert page.locator("h1").count() == 1
    shot(page, f"home-{role}")


def test_on_a_phone_the_menu_collapses_and_tables_scroll(browser, live_server, fresh_lead):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        log_in(page, live_server, "staff")
        page.goto(live_server.url + "/leads")
        assert not page.locator("nav.nav").is_visible()
        page.click("label.nav-toggle-label")
        assert page.locator("nav.nav").is_visible()
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, "phone-leads")
        page.goto(f"{live_server.url}/leads/{fresh_lead.id}")
        shot(page, "phone-lead-page")
    finally:
        context.close()
