"""The chain cockpit: every chain's KPIs, a chain drawn upstream to downstream, an opened link, leads in one step."""
import re

import pytest

from crm.pipeline import leads
from tests.pages.conftest import form_post
from tests.pages.world import XSS

ROLES = ["staff", "admin", "chain_leader", "district_officer", "viewer"]
BOX = re.compile(r'data-link="([^"]+)" data-action="(\w+)">\s*<title>[^<]*</title>\s*<rect class="box" x="([\d.]+)"')


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:800]
    return r.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_it_renders_for_every_role(request, world, role):
    client = request.getfixturevalue(role)
    assert "新一代电子信息制造" in html(client, "/chains")
    assert "<svg" in html(client, "/chains/nev")
    assert 'id="link"' in html(client, "/chains/electronics?link=electronics.chip")


def test_the_list_shows_each_chains_coverage_and_pipeline(staff, world):
    page = html(staff, "/chains")
    assert "/chains/nev" in page and "/chains/electronics" in page
    assert "本地已覆盖 1 个环节（共 3 个）" in page  # 长安 makes nev.vehicle in 两江新区


def test_it_draws_links_from_upstream_to_downstream_with_feeds_and_gap_colours(staff, world):
    page = html(staff, "/chains/nev")
    boxes = {link: (action, float(x)) for link, action, x in BOX.findall(page)}
    assert set(boxes) == {"nev.separator", "nev.cell", "nev.vehicle"}
    assert boxes["nev.separator"][1] < boxes["nev.cell"][1] < boxes["nev.vehicle"][1]
    assert boxes["nev.cell"][0] == "supplement" and boxes["nev.vehicle"][0] != "supplement"
    assert page.count('class="feed') == 2 and 'fill="#dc2626"' in page
    assert 'href="/chains/nev?link=nev.cell#link"' in page


def test_an_opened_link_shows_makers_ranked_candidates_and_open_leads(staff, world):
    page = html(staff, "/chains/electronics?link=electronics.chip")
    panel = page[page.index('id="link"'):]
    assert "英飞凌" in panel and "博世" in panel  # the two makers outside Chongqing, ranked
    assert f"/leads/{world.yz.id}" in panel  # Bosch already has a lead: opened, not duplicated
    assert "Factor breakdown" not in panel and "评分构成" in panel
    assert panel.count('name="company_id" value="infineon"') == 1
    assert "本地无功率半导体企业" in panel


def test_a_candidate_becomes_a_lead_in_one_step_with_its_score_snapshot(staff, world, store):
    r = form_post(staff, "/chains/electronics/links/electronics.chip/leads", {"company_id": "infineon", "mine": "1"},
                  page_url="/chains/electronics?link=electronics.chip")
    assert r.status_code == 302 and r.location.startswith("/leads/lead-")
    lead = leads.fetch(store, r.location.rsplit("/", 1)[1])
    assert (lead.company_id, lead.link_id, lead.source, lead.owner_id) == ("infineon", "electronics.chip", "ranking",
                                                                          staff.user.id)
    assert lead.score and set(lead.score_factors["factors"]) == {"gap", "standing", "synergy", "policy_fit",
                                                                 "engagement", "district", "demand"}
    assert f"/leads/{lead.id}" in html(staff, "/chains/electronics?link=electronics.chip")


def test_a_company_no_longer_a_candidate_is_refused_with_a_message(staff, world):
    r = form_post(staff, "/chains/nev/links/nev.vehicle/leads", {"company_id": "changan"})
    assert r.status_code == 302 and r.location.endswith("link=nev.vehicle#link")
    assert "flash error" in html(staff, r.location)


def test_readers_who_may_not_write_get_no_create_button(chain_leader, viewer, world):
    for client in (chain_leader, viewer):
        assert 'name="company_id" value="infineon"' not in html(client, "/chains/electronics?link=electronics.chip")
    r = form_post(viewer, "/chains/electronics/links/electronics.chip/leads", {"company_id": "infineon"})
    assert r.status_code == 403


def test_a_district_officer_never_sees_another_districts_lead(district_officer, world):
    page = html(district_officer, "/chains/electronics?link=electronics.chip")
    assert world.yz.id not in page  # Bosch's lead lands in 渝中区
    assert "已有线索" not in page  # nor the ranking's mention of it
    nev = html(district_officer, "/chains/nev?link=nev.separator")
    assert world.spb.id not in nev and world.lj.id not in html(district_officer, "/chains/electronics")


def test_a_chain_leader_sees_their_chains_leads_only(chain_leader, world):
    assert world.yz.id in html(chain_leader, "/chains/electronics?link=electronics.chip")
    page = html(chain_leader, "/chains/nev?link=nev.cell")
    assert world.lj.id not in page and "已有线索" not in page


def test_a_company_named_like_a_script_shows_as_text(staff, world):
    page = html(staff, "/chains/nev?link=nev.vehicle")
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_chains_and_links_are_not_found(staff, world):
    assert staff.get("/chains/nope").status_code == 404
    assert staff.get("/chains/nev?link=electronics.chip").status_code == 404


def test_english_with_one_click(staff, world):
    staff.get("/lang/en?next=/chains/nev")
    page = html(staff, "/chains/nev?link=nev.cell")
    assert "Chain map, upstream to downstream" in page and "Battery cells" in page and "Supplement" in page


def test_the_cockpit_shows_the_chain_s_resilience_with_its_kept_trend(staff, world, store):
    from datetime import date

    from scoring.resilience_trend import snapshot
    from tests.factories import NOW

    for sunday in (date(2026, 11, 1), date(2026, 11, 8), date(2026, 11, 15)):
        snapshot(store, sunday, now=NOW)
    page = html(staff, "/chains/nev")
    kpi = page[page.index('id="resilience"'):]
    assert "韧性指数" in kpi and "<polyline points=" in kpi and "覆盖度" in kpi
    assert '"/api/v1/chains/nev/resilience"' not in page  # a page, not a script
    api = staff.get("/api/v1/chains/nev/resilience").json
    assert [p["week"] for p in api["trend"]] == ["2026-W44", "2026-W45", "2026-W46"]
    assert f'{api["current"]["index"]:.1f}' in kpi
