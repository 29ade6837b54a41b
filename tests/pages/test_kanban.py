"""The kanban: one column per stage, cards moved by the pipeline's rules (page form or API)."""
import re

from crm.pipeline import leads
from crm.base.access import SYSTEM
from tests.pages.conftest import csrf_of, form_post
from tests.pages.world import XSS


def board(client, query=""):
    r = client.get("/leads/kanban" + query)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def column(page, stage):
    """The HTML of one stage's column."""
    start = page.index(f'data-stage="{stage}" aria-label')
    end = page.find('<section class="kanban-col"', start)
    return page[start:end if end > 0 else None]


def test_it_shows_a_column_per_stage_with_its_cards(staff, world):
    page = board(staff)
    for stage in ("identified", "contacted", "visited", "negotiating", "signed", "dropped"):
        assert f'data-stage="{stage}" aria-label' in page
    assert world.lj.id in column(page, "identified") and world.lj.id not in column(page, "contacted")


def test_each_card_offers_only_the_moves_the_pipeline_allows(staff, world):
    card = board(staff).split(f'id="card-{world.lj.id}"')[1].split("</article>")[0]
    assert 'data-moves="contacted dropped"' in card
    options = re.findall(r'<option value="(\w+)"', card)
    assert options == ["contacted", "dropped"]


def test_the_fallback_form_moves_a_card_and_returns_to_the_board(staff, world, store):
    r = form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "contacted", "version": world.lj.version,
                                                         "next": "/leads/kanban?owner=me"}, "/leads/kanban")
    assert r.status_code == 302 and r.headers["Location"] == "/leads/kanban?owner=me"
    page = board(staff, "?owner=me")
    assert world.lj.id in column(page, "contacted") and "已移至“已接洽”" in page


def test_a_refused_move_shows_the_rule_on_the_board(staff, world, store):
    r = form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "negotiating", "version": world.lj.version,
                                                         "next": "/leads/kanban"}, "/leads/kanban")
    assert r.status_code == 302
    page = board(staff)
    assert "不能从“已识别”跳到“洽谈中”" in page and world.lj.id in column(page, "identified")


def test_dropping_from_the_board_needs_a_reason(staff, world, store):
    form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "dropped", "version": world.lj.version,
                                                     "next": "/leads/kanban"}, "/leads/kanban")
    assert "放弃线索须填写原因" in board(staff)
    form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "dropped", "reason": "对方决定在越南建厂",
                                                     "version": world.lj.version, "next": "/leads/kanban"})
    dropped = leads.fetch(store, world.lj.id)
    assert dropped.stage == "dropped" and dropped.drop_reason == "对方决定在越南建厂"


def test_signing_from_the_board_asks_for_the_projects_terms(staff, world, store):
    lead = world.lj
    for to in ("contacted", "visited", "negotiating"):
        lead = leads.move_lead(store, lead.id, to, actor=SYSTEM, now=lead.created_at, expected_version=lead.version)
    r = form_post(staff, f"/leads/{lead.id}/stage", {"to": "signed", "version": lead.version,
                                                     "next": "/leads/kanban"})
    assert r.status_code == 302 and f"/leads/{lead.id}?move=signed" in r.headers["Location"]
    assert leads.fetch(store, lead.id).stage == "negotiating"


def test_a_stale_card_is_refused(staff, world, store):
    leads.update_lead(store, world.lj.id, {"priority": "B"}, actor=SYSTEM, now=world.lj.created_at,
                      expected_version=world.lj.version)
    form_post(staff, f"/leads/{world.lj.id}/stage", {"to": "contacted", "version": world.lj.version,
                                                     "next": "/leads/kanban"})
    assert "他人已修改此记录" in board(staff) and leads.fetch(store, world.lj.id).stage == "identified"


def test_dragging_calls_the_api_with_the_same_rules(staff, world, store):
    page = board(staff)
    api = re.search(rf'id="card-{world.lj.id}"[^>]*data-api="([^"]+)"', page.replace("\n", " ")).group(1)
    headers = {"X-CSRFToken": csrf_of(page), "If-Match": f'"v{world.lj.version}"'}
    refused = staff.post(api, json={"to": "visited"}, headers=headers)
    assert refused.status_code == 409 and "不能从“已识别”跳到“已拜访”" in refused.json["message"]
    moved = staff.post(api, json={"to": "contacted"}, headers=headers)
    assert moved.status_code == 200 and moved.json["stage"] == "contacted"


def test_the_board_keeps_each_role_in_its_limits(district_officer, chain_leader, viewer, world):
    page = board(district_officer)
    assert world.lj.id in page and world.yz.id not in page and world.spb.id not in page
    page = board(chain_leader)
    assert world.yz.id in page and world.lj.id not in page
    assert 'draggable="true"' not in page and "<summary>移动</summary>" not in page
    assert 'draggable="true"' not in board(viewer)


def test_the_board_filters_and_escapes_like_the_list(staff, world):
    page = board(staff, "?q=宁德")
    assert world.lj.id in page and world.yz.id not in page
    page = board(staff)
    assert XSS not in page and "&lt;script&gt;" in page
