"""The lead pages: list, lead page and its actions, new and edit forms, for every role within its limits."""
import re

import pytest

from crm.people import notes
from crm.pipeline import leads
from crm.base.access import SYSTEM
from tests.pages.conftest import form_post
from tests.pages.world import XSS

ROLES = ["staff", "admin", "chain_leader", "district_officer", "viewer"]


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_it_renders_the_list_and_a_readable_lead_for_every_role(request, world, role):
    client = request.getfixturevalue(role)
    page = html(client, "/leads")
    visible = world.yz if role == "chain_leader" else world.lj
    assert f"/leads/{visible.id}" in page
    html(client, f"/leads/{visible.id}")


def test_a_district_officer_sees_only_their_districts_leads(district_officer, world):
    page = html(district_officer, "/leads")
    assert world.lj.id in page and world.xss.id in page
    assert world.yz.id not in page and world.spb.id not in page
    assert "博世" not in html(district_officer, "/leads?q=bosch")
    assert district_officer.get(f"/leads/{world.yz.id}").status_code == 404
    assert district_officer.get(f"/leads/{world.yz.id}/edit").status_code == 404


def test_a_chain_leader_sees_only_their_chains_leads(chain_leader, world):
    page = html(chain_leader, "/leads")
    assert world.yz.id in page and world.lj.id not in page
    assert chain_leader.get(f"/leads/{world.lj.id}").status_code == 404


@pytest.mark.parametrize("q", ["宁德", "catl", "电芯", "Battery cells"])
def test_it_finds_a_lead_in_chinese_and_english(staff, world, q):
    page = html(staff, f"/leads?q={q}")
    assert world.lj.id in page and world.yz.id not in page


def test_it_filters_by_stage_priority_owner_district_chain_and_pool(staff, world):
    assert world.yz.id not in html(staff, "/leads?owner=me") and world.lj.id in html(staff, "/leads?owner=me")
    pool = html(staff, "/leads?pool=true")
    assert world.yz.id in pool and world.lj.id not in pool
    assert world.spb.id in html(staff, "/leads?priority=C") and world.lj.id not in html(staff, "/leads?priority=C")
    assert world.yz.id in html(staff, "/leads?district=500103") and world.lj.id not in html(staff, "/leads?district=500103")
    assert world.yz.id in html(staff, "/leads?chain=electronics") and world.spb.id not in html(staff, "/leads?chain=electronics")
    assert world.lj.id not in html(staff, "/leads?stage=contacted")


def test_it_sorts_by_a_clicked_header_and_reverses_on_a_second_click(staff, world):
    page = html(staff, "/leads?sort=expected_usd")
    assert page.index(world.yz.id) < page.index(world.lj.id)
    assert 'href="/leads?sort=-expected_usd"' in page
    page = html(staff, "/leads?sort=-expected_usd")
    assert page.index(world.lj.id) < page.index(world.yz.id)


def test_an_unknown_filter_value_is_dropped_with_a_notice(staff, world):
    page = html(staff, "/leads?stage=nonsense&sort=bogus")
    assert world.lj.id in page and "已忽略" in page


def test_it_pages_through_the_list(staff, world, store):
    for n in range(55):
        leads.create_lead(store, {"company_id": "infineon", "link_id": "electronics.chip", "title": f"批量{n:02d}"},
                          actor=SYSTEM, now=world.lj.created_at)
    first, second = html(staff, "/leads?sort=title"), html(staff, "/leads?sort=title&page=2")
    assert "共 59 条" in first and "批量00" in first and "批量00" not in second and 'rel="prev"' in second


def test_next_follows_a_cursor_to_the_rows_page_two_shows_and_a_bad_one_is_dropped(staff, world, store):
    for n in range(55):
        leads.create_lead(store, {"company_id": "infineon", "link_id": "electronics.chip", "title": f"批量{n:02d}"},
                          actor=SYSTEM, now=world.lj.created_at)
    first = html(staff, "/leads?sort=title")
    following = re.search(r'href="([^"]*after=[^"]*)" rel="next"', first)
    assert following and "page=2" in following.group(1)
    by_cursor = html(staff, following.group(1).replace("&amp;", "&"))
    by_number = html(staff, "/leads?sort=title&page=2")
    assert re.findall(r'href="/leads/(lead-[^"]+)"', by_cursor) == re.findall(r'href="/leads/(lead-[^"]+)"', by_number)
    assert 'rel="prev"' in by_cursor and 'after=' not in by_cursor.split('rel="prev"')[0].rsplit("href=", 1)[1]
    dropped = html(staff, "/leads?sort=title&page=2&after=bogus")
    assert "已忽略" in dropped and "批量5" in dropped


def test_the_lead_page_explains_the_score_and_merges_the_timeline(staff, world):
    page = html(staff, f"/leads/{world.lj.id}")
    assert "推荐理由" in page and "补链缺口" in page and "+31.5" in page and "本地无企业生产" in page
    assert "首次电话沟通" in page and "线索创建" in page
    assert "宁德时代" in page and "动力电池电芯" in page and "两江新区" in page and "5,000 万美元" in page


def test_english_readers_get_english_names_and_usd_millions(staff, world):
    staff.get("/lang/en?next=/")
    page = html(staff, f"/leads/{world.lj.id}")
    assert "Why this lead" in page and "Gap severity" in page and "USD 50 m" in page and "Liangjiang New Area" in page


def test_a_script_company_name_is_shown_as_text_everywhere(staff, world):
    for url in ("/leads", f"/leads/{world.xss.id}", "/leads/kanban", "/", f"/leads/new?company_id=xss",
                "/leads?q=script"):
        page = html(staff, url)
        assert XSS not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_a_viewer_and_a_chain_leader_get_no_forms_they_may_not_use(viewer, chain_leader, world):
    page = html(viewer, f"/leads/{world.lj.id}")
    assert "变更阶段" not in page and "改派" not in page and "添加备注" not in page
    page = html(chain_leader, f"/leads/{world.yz.id}")
    assert "id=\"stage\"" not in page and "改派" in page and "添加备注" in page


def test_moving_to_the_next_stage_is_recorded_on_the_timeline(staff, world):
    r = form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "contacted", "version": world.lj.version})
    assert r.status_code == 302
    page = html(staff, f"/leads/{world.lj.id}")
    assert "已移至“已接洽”" in page and "阶段：已识别 → 已接洽" in page


def test_dropping_without_a_reason_is_refused_beside_the_form(staff, world, store):
    r = form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "dropped", "version": world.lj.version})
    assert r.status_code == 422 and "放弃线索须填写原因" in r.get_data(as_text=True)
    assert leads.fetch(store, world.lj.id).stage == "identified"


def test_skipping_a_stage_shows_the_rule(staff, world, store):
    r = form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "visited", "version": world.lj.version})
    assert r.status_code == 422 and "下一阶段应为“已接洽”" in r.get_data(as_text=True)
    assert leads.fetch(store, world.lj.id).version == world.lj.version


def test_signing_asks_for_the_terms_and_creates_the_project(staff, world, store):
    lead = world.lj
    for to in ("contacted", "visited", "negotiating"):
        lead = leads.move_lead(store, lead.id, to, actor=SYSTEM, now=lead.created_at, expected_version=lead.version)
    r = form_post(staff, f"/leads/{lead.id}/stage", {"to": "signed", "version": lead.version})
    assert r.status_code == 302 and "move=signed" in r.headers["Location"]
    assert "项目信息（签约时填写）" in html(staff, r.headers["Location"])
    r = form_post(staff, f"/leads/{lead.id}/stage", {"to": "signed", "version": lead.version, "terms": "1",
                                                     "project.contracted_fdi_usd": "lots"})
    assert r.status_code == 422 and "请填写整数" in r.get_data(as_text=True)
    r = form_post(staff, f"/leads/{lead.id}/stage", {"to": "signed", "version": lead.version, "terms": "1",
                                                     "project.name": "宁德时代两江电芯基地",
                                                     "project.industry_category": "manufacturing",
                                                     "project.signed_on": "2026-11-18"})
    assert r.status_code == 302
    signed = leads.fetch(store, lead.id)
    assert signed.stage == "signed" and signed.project_id
    assert "宁德时代两江电芯基地" in html(staff, f"/projects/{signed.project_id}")


def test_a_stale_edit_is_refused_and_overwrites_nothing(staff, world, store):
    leads.update_lead(store, world.lj.id, {"priority": "C"}, actor=SYSTEM, now=world.lj.created_at,
                      expected_version=world.lj.version)
    r = form_post(staff, f"/leads/{world.lj.id}/edit", {
        "version": world.lj.version, "title": "我改的标题", "priority": "A", "source": "ranking",
        "expected_usd": "50000000", "link_id": "nev.cell", "district_id": "500157"})
    assert r.status_code == 422 and "他人已修改此记录" in r.get_data(as_text=True)
    now = leads.fetch(store, world.lj.id)
    assert now.title != "我改的标题" and now.priority == "C"


def test_an_edit_saves_and_a_bad_amount_is_refused_beside_the_field(staff, world, store):
    data = {"version": world.lj.version, "title": "宁德时代重庆基地", "priority": "A", "source": "ranking",
            "expected_usd": "五千万", "link_id": "nev.cell", "district_id": "500157"}
    r = form_post(staff, f"/leads/{world.lj.id}/edit", data)
    assert r.status_code == 422 and "请填写整数" in r.get_data(as_text=True)
    assert leads.fetch(store, world.lj.id).version == world.lj.version
    r = form_post(staff, f"/leads/{world.lj.id}/edit", {**data, "expected_usd": "80,000,000"})
    assert r.status_code == 302
    saved = leads.fetch(store, world.lj.id)
    assert saved.title == "宁德时代重庆基地" and saved.expected_usd == 80_000_000


def test_the_new_lead_form_refuses_missing_fields_and_writes_nothing(staff, world, store):
    before = leads.list_leads(store, leads.LeadQuery(), actor=SYSTEM).total
    r = form_post(staff, "/leads/new", {"company_id": "", "link_id": "", "priority": "A"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and body.count("field-error") >= 2
    assert leads.list_leads(store, leads.LeadQuery(), actor=SYSTEM).total == before
    r = form_post(staff, "/leads/new", {"company_id": "nobody", "link_id": "nev.cell"})
    assert r.status_code == 422 and "未找到，请从列表中选择" in r.get_data(as_text=True)


def test_a_lead_is_created_from_a_ranked_candidate(staff, world, store):
    page = html(staff, "/leads/new?company_id=infineon&link_id=electronics.chip&district_id=500106")
    assert "英飞凌" in page and 'value="electronics.chip" selected' in page and 'value="500106" selected' in page
    r = form_post(staff, "/leads/new", {"company_id": "infineon", "link_id": "electronics.chip",
                                        "district_id": "500106", "priority": "A", "source": "ranking",
                                        "owner_id": staff.user.id})
    assert r.status_code == 302
    made = leads.list_leads(store, leads.LeadQuery(company="infineon"), actor=SYSTEM).items[0]
    assert made.owner_id == staff.user.id and r.headers["Location"].endswith(made.id)


def test_a_district_officer_cannot_open_a_lead_in_another_district(district_officer, world, store):
    r = form_post(district_officer, "/leads/new", {"company_id": "infineon", "link_id": "electronics.chip",
                                                   "district_id": "500103"})
    assert r.status_code == 403
    assert leads.list_leads(store, leads.LeadQuery(company="infineon"), actor=SYSTEM).total == 0


def test_reassigning_and_returning_to_the_pool(staff, world, store):
    r = form_post(staff, f"/leads/{world.lj.id}/owner", {"owner_id": "", "version": world.lj.version})
    assert r.status_code == 302 and leads.fetch(store, world.lj.id).in_pool
    assert "线索已退回公海池" in html(staff, f"/leads/{world.lj.id}")


def test_a_note_is_added_and_an_empty_one_refused(chain_leader, world, store):
    r = form_post(chain_leader, f"/leads/{world.yz.id}/notes", {"body": "  "})
    assert r.status_code == 422 and "此项为必填项" in r.get_data(as_text=True)
    r = form_post(chain_leader, f"/leads/{world.yz.id}/notes", {"body": "链长批示：<b>加快</b>对接"})
    assert r.status_code == 302
    page = html(chain_leader, f"/leads/{world.yz.id}")
    assert "链长批示：&lt;b&gt;加快&lt;/b&gt;对接" in page


@pytest.mark.parametrize("bad", ["批示\x1b[31m", "\x00", "a\x85b"])
def test_a_note_with_a_character_that_cannot_be_stored_is_refused_beside_the_field(chain_leader, world, store, bad):
    before = len(notes.list_notes(store, world.yz.id, actor=SYSTEM, label="Lead").items)
    r = form_post(chain_leader, f"/leads/{world.yz.id}/notes", {"body": bad})
    assert r.status_code == 422 and "无法保存的字符" in r.get_data(as_text=True)
    assert len(notes.list_notes(store, world.yz.id, actor=SYSTEM, label="Lead").items) == before


def test_a_form_without_its_csrf_token_is_refused(staff, world, store):
    r = staff.post(f"/leads/{world.lj.id}/stage", data={"to": "contacted", "version": world.lj.version})
    assert r.status_code == 400 and leads.fetch(store, world.lj.id).stage == "identified"


def test_a_follow_up_is_scheduled_then_logged(staff, world, store):
    r = form_post(staff, f"/leads/{world.lj.id}/followups", {"kind": "visit", "due_on": "2026-11-23",
                                                             "title": "拜访重庆工厂"})
    assert r.status_code == 302
    page = html(staff, f"/leads/{world.lj.id}")
    assert "拜访重庆工厂" in page and "记录跟进结果" in page
    action = page.split('action="', page.index("记录跟进结果"))
    url = [a for a in action if "/complete" in a][0].split('"')[0]
    version = page[page.index(url):].split('name="version" value="')[1].split('"')[0]
    r = form_post(staff, url, {"outcome": "", "version": version})
    assert r.status_code == 422 and "请填写跟进结果" in r.get_data(as_text=True)
    r = form_post(staff, url, {"outcome": "对方确认下月来渝考察", "version": version})
    assert r.status_code == 302
    page = html(staff, f"/leads/{world.lj.id}")
    assert "对方确认下月来渝考察" in page
    assert leads.fetch(store, world.lj.id).last_followup_at is not None


def test_a_pool_lead_is_claimed_once(staff, admin, world, store):
    r = form_post(staff, f"/leads/{world.yz.id}/claim", {"version": world.yz.version})
    assert r.status_code == 302 and leads.fetch(store, world.yz.id).owner_id == staff.user.id
    r = form_post(admin, f"/leads/{world.yz.id}/claim", {"version": world.yz.version})
    assert "先认领了此线索" in html(admin, r.headers["Location"])


def test_the_new_lead_form_finds_the_company_first(staff, world):
    page = html(staff, "/leads/new?company_q=宁德&link_id=nev.cell")
    assert "/leads/new?link_id=nev.cell&amp;company_id=catl" in page
    assert "请先将其录入企业库" in html(staff, "/leads/new?company_q=nothing-like-it")


def test_only_those_who_may_change_a_lead_get_its_edit_form(chain_leader, viewer, world):
    assert chain_leader.get(f"/leads/{world.yz.id}/edit").status_code == 403
    assert viewer.get(f"/leads/{world.lj.id}/edit").status_code == 403


@pytest.mark.parametrize("role, status", [("viewer", 403), ("chain_leader", 403), ("district_officer", 200),
                                          ("staff", 200)])
def test_the_new_lead_form_is_offered_only_to_who_may_send_it(request, role, status):
    """Issue 16: a viewer got the whole form, then a 403 on submit."""
    client = request.getfixturevalue(role)
    assert client.get("/leads/new").status_code == status
    listing = client.get("/leads").get_data(as_text=True)
    assert ('href="/leads/new"' in listing) == (status == 200)
