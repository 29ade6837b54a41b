"""The home page shows each role what it needs first, and nothing outside its limits."""
from tests.pages.world import XSS


def html(client, url="/"):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


def test_staff_see_their_pipeline_inbox_and_the_pool(staff, world):
    page = html(staff)
    assert "我的线索进度" in page and "待办" in page and "可认领的公海池线索" in page
    assert f"/leads/{world.lj.id}" in page and f"/leads/{world.yz.id}/claim" in page
    assert XSS not in page


def test_a_chain_leader_sees_their_chains_and_their_open_leads(chain_leader, world):
    page = html(chain_leader)
    assert "新一代电子信息制造" in page and "智能网联新能源汽车" not in page
    assert f"/leads/{world.yz.id}" in page and f"/leads/{world.lj.id}" not in page


def test_a_chain_leader_lands_on_their_chains_cockpit(chain_leader, world):
    page = html(chain_leader)
    assert 'href="/chains/electronics"' in page and 'href="/chains/nev"' not in page


def test_a_district_officer_sees_their_district_only(district_officer, world):
    page = html(district_officer)
    assert "两江新区" in page and f"/leads/{world.lj.id}" in page and f"/projects/{world.proj_lj.id}" in page
    assert f"/leads/{world.yz.id}" not in page and f"/projects/{world.proj_yz.id}" not in page


def test_an_admin_sees_users_and_the_store(admin, world):
    page = html(admin)
    assert "管理用户" in page and "存储引擎：embedded" in page and "运行正常" in page


def test_a_district_officer_sees_the_links_their_firms_buy_from_outside_escaped(district_officer, world):
    page = html(district_officer)
    section = page[page.index('id="outside-supply"'):]
    assert "本区企业需从外地采购的环节" in page and "动力电池电芯" in section and "长安汽车" in section
    assert XSS not in page and "&lt;script&gt;" in section
    district_officer.get("/lang/en?next=/")
    assert "Bought from outside by firms here" in html(district_officer)
