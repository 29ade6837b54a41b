"""Event pages: the calendar upcoming first, an event's targets, checklist, meetings and what it brought in."""
import re
from datetime import date

import pytest

from crm.events import events, targets as event_targets, tasks
from crm.base.access import SYSTEM
from graph.cypher import merge_rels, upsert_nodes
from tests.factories import NOW, make_event
from tests.pages.conftest import csrf_of, form_post
from tests.pages.world import XSS

ROLES = ["staff", "admin", "chain_leader", "district_officer", "viewer"]


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:800]
    return r.get_data(as_text=True)


@pytest.fixture
def roadshow(store, staff):
    """The NEV roadshow in Germany next month, owned by staff (so its checklist is staff's)."""
    return make_event(store, owner_id=staff.user.id)


@pytest.fixture
def foreign_makers(store):
    """Foreign makers of the NEV links, the roadshow's FDI targets (the reference world's makers are mainland)."""
    upsert_nodes(store, "Company", [
        {"id": "asahi", "name_zh": "旭化成", "name_en": "Asahi Kasei", "country": "JP", "multinational": True},
        {"id": "lges", "name_zh": "LG新能源", "name_en": "LG Energy Solution", "country": "KR"}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [{"src": "asahi", "dst": "nev.separator"},
                                                        {"src": "lges", "dst": "nev.cell"}])


@pytest.fixture
def past_forum(store):
    return make_event(store, name_zh="重庆投资推介论坛（往期）", name_en="Past forum", kind="forum",
                      start_on=date(2026, 10, 9), end_on=date(2026, 10, 10), chain_ids=["electronics"])


@pytest.mark.parametrize("role", ROLES)
def test_it_renders_for_every_role(request, world, roadshow, role):
    client = request.getfixturevalue(role)
    assert roadshow.name_zh in html(client, "/events")
    page = html(client, f"/events/{roadshow.id}")
    assert "确定目标企业名单" in page and "任务清单" in page


def test_the_calendar_lists_upcoming_events_first_then_past_ones(staff, roadshow, past_forum):
    page = html(staff, "/events")
    assert page.index("即将举办") < page.index(roadshow.name_zh) < page.index("往期活动") < page.index(past_forum.name_zh)
    assert ">智能网联新能源汽车</a>" in page  # focus chains by name
    assert past_forum.name_zh not in html(staff, "/events?when=upcoming")
    assert roadshow.name_zh not in html(staff, "/events?when=past")
    filtered = html(staff, "/events?kind=forum")
    assert past_forum.name_zh in filtered and roadshow.name_zh not in filtered
    assert roadshow.name_zh in html(staff, "/events?q=德国") and past_forum.name_zh not in html(staff, "/events?q=德国")


def test_an_event_shows_its_dates_place_owner_chains_and_checklist(staff, roadshow):
    page = html(staff, f"/events/{roadshow.id}")
    assert "2026-12-21 – 2026-12-23" in page and "慕尼黑" in page and "/chains/nev" in page
    assert page.count('class="tick"') == 6 and page.count('action="/tasks/') == 6


def test_the_best_ranked_foreign_candidates_become_targets(staff, world, foreign_makers, roadshow):
    r = form_post(staff, f"/events/{roadshow.id}/targets", {"top": "5", "version": str(roadshow.version)},
                  page_url=f"/events/{roadshow.id}")
    assert r.status_code == 302 and r.location.endswith("#targets")
    page = html(staff, r.location)
    targets = page[page.index('id="targets"'):page.index('id="meetings"')]
    assert "旭化成" in targets and "LG新能源" in targets and "已邀请" in targets
    assert "宁德时代" not in targets and "恩捷股份" not in targets  # mainland firms: not FDI targets
    assert "长安汽车" not in targets  # already in Chongqing: not a candidate


def test_a_stale_form_adds_no_targets(staff, world, foreign_makers, roadshow):
    r = form_post(staff, f"/events/{roadshow.id}/targets", {"top": "5", "version": "99"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "请刷新页面" in page and "尚无目标企业" in page


def test_a_meeting_with_a_target_firm_opens_a_lead_sourced_at_the_event(staff, world, roadshow):
    r = form_post(staff, f"/events/{roadshow.id}/meetings",
                  {"company_id": "catl", "link_id": "nev.cell", "held_on": "2026-11-19",
                   "outcome": "与亚太区总裁会见，确认考察两江新区"})
    assert r.status_code == 302
    page = html(staff, f"/events/{roadshow.id}")
    assert "与亚太区总裁会见，确认考察两江新区" in page and "已会见" in page
    sourced = page[page.index('id="sourced"'):]
    assert "宁德时代" in sourced


def test_a_meeting_needs_its_outcome(staff, world, roadshow):
    r = form_post(staff, f"/events/{roadshow.id}/meetings", {"company_id": "catl", "link_id": "nev.cell"})
    assert r.status_code == 422 and "请填写会见成果" in r.get_data(as_text=True)


def test_a_task_is_completed_from_the_checklist(staff, store, roadshow):
    task = tasks.list_tasks(store, tasks.TaskQuery(event=roadshow.id), actor=SYSTEM, now=NOW).items[0]
    r = form_post(staff, f"/tasks/{task.id}/complete", {"version": str(task.version),
                                                        "next": f"/events/{roadshow.id}#checklist"})
    assert r.status_code == 302 and r.location == f"/events/{roadshow.id}#checklist"
    assert tasks.get_task(store, task.id, actor=SYSTEM, now=NOW).status == "done"
    assert "任务已完成" in html(staff, r.location)


def test_a_district_officer_never_sees_another_districts_lead_from_the_event(staff, district_officer, world,
                                                                            roadshow):
    met = event_targets.record_meeting(world_store(staff), roadshow.id, {
        "company_id": "semcorp", "link_id": "nev.separator", "district_id": "500103", "outcome": "会见（渝中）",
        "owner_id": staff.user.id}, actor=SYSTEM, now=NOW)
    assert met.lead_id in html(staff, f"/events/{roadshow.id}")
    page = html(district_officer, f"/events/{roadshow.id}")
    assert met.lead_id not in page and "会见（渝中）" not in page
    figures = page[page.index('id="brought-in"'):page.index('class="grid-2"')]
    assert re.findall(r'class="value">(\d+)<', figures) == ["0", "0", "0", "0"]


def world_store(client):
    return client.application.extensions["chainlead.store"]


def test_a_company_named_like_a_script_shows_as_text(staff, store, world, roadshow):
    event_targets.add_targets(store, roadshow.id, {"targets": [{"company_id": "xss"}]}, actor=SYSTEM, now=NOW,
                              expected_version=None)
    page = html(staff, f"/events/{roadshow.id}")
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_readers_get_no_forms_and_forms_need_their_csrf_token(viewer, staff, roadshow):
    page = html(viewer, f"/events/{roadshow.id}")
    assert 'action="/events/' not in page and 'action="/tasks/' not in page
    r = staff.post(f"/events/{roadshow.id}/targets", data={"top": "5", "version": str(roadshow.version)})
    assert r.status_code == 400
    assert csrf_of(html(staff, f"/events/{roadshow.id}"))


def test_english_with_one_click(staff, roadshow):
    staff.get(f"/lang/en?next=/events/{roadshow.id}")
    page = html(staff, f"/events/{roadshow.id}")
    assert "Shortlist target companies" in page and "Checklist" in page and "NEV roadshow in Germany" in page


def test_a_district_officer_records_a_meeting_landing_in_their_own_district(district_officer, world, roadshow):
    page = html(district_officer, f"/events/{roadshow.id}")
    assert '<option value="500157" selected' in page and 'value="500103"' not in page
    r = form_post(district_officer, f"/events/{roadshow.id}/meetings",
                  {"company_id": "catl", "link_id": "nev.cell", "district_id": "500157", "outcome": "区县专场会见"},
                  page_url=f"/events/{roadshow.id}")
    assert r.status_code == 302
    assert "区县专场会见" in html(district_officer, f"/events/{roadshow.id}")


def test_staff_create_an_event_and_get_its_checklist(store, staff):
    assert 'href="/events/new"' in html(staff, "/events")
    r = form_post(staff, "/events/new", {"name_zh": "新加坡电子信息推介会", "name_en": "Singapore electronics roadshow",
                                         "kind": "roadshow_abroad", "start_on": "2027-03-16", "end_on": "2027-03-17",
                                         "city_zh": "新加坡", "country": "sg", "chain_ids": ["electronics"]},
                  "/events/new")
    assert r.status_code == 302, re.findall(r"name=\"(\w+)\"[^>]*aria-invalid", r.get_data(as_text=True))
    page = html(staff, r.headers["Location"])
    assert "新加坡电子信息推介会" in page and "2027-03-16 – 2027-03-17" in page and "/chains/electronics" in page
    assert page.count('class="tick"') == 6, "the checklist was made from the template"


def test_a_new_event_with_bad_input_is_shown_again_with_the_reasons_and_nothing_saved(store, staff):
    before = store.read("MATCH (e:Event) RETURN count(e) AS n")[0]["n"]
    r = form_post(staff, "/events/new", {"name_zh": "", "kind": "roadshow_abroad", "start_on": "2027-03-16",
                                         "end_on": "2027-03-01", "city_zh": "新加坡" + XSS}, "/events/new")
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert page.count('aria-invalid=true') >= 2 and "新加坡" in page and XSS not in page, "kept, escaped"
    bad_day = form_post(staff, "/events/new", {"name_zh": "活动", "kind": "forum", "start_on": "16/03/2027"},
                        "/events/new")
    assert bad_day.status_code == 422 and "YYYY-MM-DD" in bad_day.get_data(as_text=True)
    assert store.read("MATCH (e:Event) RETURN count(e) AS n")[0]["n"] == before


@pytest.mark.parametrize("role", ["chain_leader", "viewer"])
def test_only_organisers_see_or_may_use_the_new_event_form(request, role):
    client = request.getfixturevalue(role)
    assert 'href="/events/new"' not in html(client, "/events")
    assert client.get("/events/new").status_code == 403


def _edit_form(event, **changes):
    form = {"name_zh": event.name_zh, "name_en": event.name_en, "kind": event.kind,
            "start_on": event.start_on.isoformat(), "end_on": event.end_on.isoformat(), "city_zh": event.city_zh,
            "city_en": event.city_en, "country": event.country, "owner_id": event.owner_id or "",
            "chain_ids": event.chain_ids, "status": event.status, "outcome": "", "version": str(event.version)}
    return {**form, **changes}


def _open_tasks(store, event):
    return tasks.list_tasks(store, tasks.TaskQuery(event=event.id, status=["open"]), actor=SYSTEM, now=NOW).items


def test_the_owner_moves_an_event_and_its_open_tasks_move_with_it(store, staff, roadshow):
    page_url = f"/events/{roadshow.id}"
    assert f'href="{page_url}/edit"' in html(staff, page_url)
    due_before = sorted(t.due_on for t in _open_tasks(store, roadshow))
    r = form_post(staff, f"{page_url}/edit", _edit_form(roadshow, start_on="2027-01-11", end_on="2027-01-13",
                                                        city_zh="柏林"), f"{page_url}/edit")
    assert r.status_code == 302 and r.location == page_url
    page = html(staff, page_url)
    assert "2027-01-11 – 2027-01-13" in page and "柏林" in page
    assert sorted(t.due_on for t in _open_tasks(store, roadshow)) > due_before


def test_cancelling_an_event_cancels_its_open_tasks(store, staff, roadshow):
    r = form_post(staff, f"/events/{roadshow.id}/edit", _edit_form(roadshow, status="cancelled"))
    assert r.status_code == 302 and _open_tasks(store, roadshow) == []


def test_a_stale_or_emptied_event_form_is_refused_and_nothing_changes(store, staff, roadshow):
    url = f"/events/{roadshow.id}/edit"
    emptied = form_post(staff, url, _edit_form(roadshow, name_zh="", end_on="2026-12-01"), url)
    assert emptied.status_code == 422 and emptied.get_data(as_text=True).count("aria-invalid=true") == 2
    form_post(staff, url, _edit_form(roadshow, city_zh="汉堡"), url)
    stale = form_post(staff, url, _edit_form(roadshow, city_zh="科隆"), url)
    assert stale.status_code == 422 and "请刷新页面" in stale.get_data(as_text=True)
    assert events.get_event(store, roadshow.id, actor=SYSTEM).city_zh == "汉堡"
    assert events.get_event(store, roadshow.id, actor=SYSTEM).name_zh == roadshow.name_zh


@pytest.mark.parametrize("role", ["chain_leader", "viewer"])
def test_only_staff_and_the_owner_may_edit_an_event(request, roadshow, role):
    client = request.getfixturevalue(role)
    assert f"/events/{roadshow.id}/edit" not in html(client, f"/events/{roadshow.id}")
    assert client.get(f"/events/{roadshow.id}/edit").status_code == 403


def test_an_event_whose_last_day_is_cleared_lasts_one_day(store, staff, roadshow):
    r = form_post(staff, f"/events/{roadshow.id}/edit", _edit_form(roadshow, end_on=""))
    assert r.status_code == 302
    event = events.get_event(store, roadshow.id, actor=SYSTEM)
    assert event.end_on == event.start_on == roadshow.start_on
