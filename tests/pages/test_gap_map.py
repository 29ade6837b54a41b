"""The gap map: its page, its document (boundaries, layers, escaping, CSP), tiles, scope and size."""
import json
import re
from datetime import date, timedelta

import pytest

from crm.reports import geo
from crm.base.clock import local_today
from graph.cypher import merge_rels, upsert_nodes
from tests.factories import NOW
from tests.pages.world import XSS
from tools.vendor_assets import check as vendored_problems
from web.app import create_app
from web.security import UnsafeConfig

ROLES = ["staff", "admin", "chain_leader", "district_officer", "viewer"]
URL = re.compile(r"""https?://[^\s"'`)<>\\]+""")
CURRENT_POLYGONS = 37  # the file's 39 features less 江北区 and 渝北区, abolished on 2025-11-06 (now 两江新区)


def frame(client, query="tiles=none"):
    r = client.get(f"/map/frame?{query}")
    assert r.status_code == 200, r.get_data(as_text=True)[:800]
    return r, r.get_data(as_text=True)


def district_codes(page):
    """The codes of the district polygons the document draws (the districts layer's features)."""
    return re.findall(r'"code":\s*"(\d{6})"', page)


def json_text(value):
    """How a string appears inside the document's JSON (non-ASCII escaped)."""
    return json.dumps(value)[1:-1]


@pytest.mark.parametrize("role", ROLES)
def test_it_renders_for_every_role(request, world, role):
    client = request.getfixturevalue(role)
    page = client.get("/map?chain=nev").get_data(as_text=True)
    assert '<iframe class="map-frame" src="/map/frame?chain=nev&amp;tiles=amap"' in page
    assert len(set(district_codes(frame(client, "chain=nev&tiles=none")[1]))) == CURRENT_POLYGONS


def test_it_draws_todays_districts_even_without_tiles(staff, world):
    codes = district_codes(frame(staff)[1])
    assert len(codes) == len(set(codes)) == CURRENT_POLYGONS
    assert "500157" in codes and "500105" not in codes and "500112" not in codes


def test_without_tiles_it_loads_nothing_from_another_host(staff, world):
    _, page = frame(staff, "chain=nev&tiles=none")
    assert URL.findall(page) == []
    assert 'src="/static/vendor/leaflet/leaflet.js"' in page and 'href="/static/vendor/leaflet/leaflet.css"' in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower() and "cdn" not in page.lower()


def test_amap_tiles_are_the_default_and_the_csp_names_their_hosts(staff, world):
    r, page = frame(staff, "chain=nev")
    assert "webrd0{s}.is.autonavi.com" in page
    hosts = {u.split("/")[2] for u in URL.findall(page)}
    assert hosts == {"webrd0{s}.is.autonavi.com"}
    csp = r.headers["Content-Security-Policy"]
    assert all(f"https://webrd0{n}.is.autonavi.com" in csp for n in "1234")
    r, page = frame(staff, "chain=nev&tiles=osm")
    assert "tile.openstreetmap.org" in page and "https://tile.openstreetmap.org" in r.headers["Content-Security-Policy"]


def test_the_map_document_alone_may_run_its_inline_code_by_nonce(staff, world):
    r, page = frame(staff)
    nonce = re.search(r"'nonce-([^']+)'", r.headers["Content-Security-Policy"]).group(1)
    tags = re.findall(r"<(?:script|style)\b[^>]*>", page)
    assert tags and all(f'nonce="{nonce}"' in tag for tag in tags)
    assert "nonce-" not in staff.get("/map").headers["Content-Security-Policy"]
    assert "nonce-" not in staff.get("/chains/nev").headers["Content-Security-Policy"]


def test_it_has_layers_a_layer_control_and_a_legend(staff, world):
    _, page = frame(staff, "tiles=none")
    assert "L.control.layers" in page and "chainlead-legend" in page
    assert '"l-500157"' in page and '"p-500157"' in page and '"m-changan-500157"' in page


def test_a_company_named_like_a_script_stays_text_in_the_map(staff, world):
    _, page = frame(staff, "chain=nev&tiles=none")
    assert XSS not in page and "<script>alert" not in page
    assert json_text("&lt;script&gt;alert(1)&lt;/script&gt;").replace("&", "\\u0026") in page


def test_user_text_is_never_run_as_a_template(staff, world, store):
    upsert_nodes(store, "Company", [{"id": "tpl", "name_zh": "{{ 7*7 }}", "name_en": "T"}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [{"src": "tpl", "dst": "nev.cell"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "tpl", "dst": "500106"}])
    _, page = frame(staff, "chain=nev&tiles=none")
    assert "\\u0026#123;\\u0026#123; 7*7 \\u0026#125;\\u0026#125;" in page


def test_a_district_officer_sees_only_their_districts_leads_and_projects(district_officer, world, store):
    _, page = frame(district_officer, "tiles=none")
    assert '"l-500157"' in page and '"p-500157"' in page
    assert '"l-500103"' not in page and '"l-500106"' not in page and '"p-500103"' not in page
    assert json_text(world.proj_yz.name) not in page
    data = geo.gap_map_data(store, actor=district_officer.user.actor(), today=local_today(NOW))
    counted = {code: (f.open_total, f.projects) for code, f in data.figures.items() if f.open_total or f.projects}
    assert set(counted) == {"500157"}


def test_a_chain_picks_its_own_coverage(staff, world, store):
    data = geo.gap_map_data(store, actor=staff.user.actor(), today=local_today(NOW), chain_id="electronics")
    assert not any(f.local_makers for f in data.figures.values())  # no electronics maker is local
    data = geo.gap_map_data(store, actor=staff.user.actor(), today=local_today(NOW), chain_id="nev")
    assert data.figures["500157"].local_makers == 2  # 长安 and the script company


def test_records_on_an_abolished_district_count_for_its_successor(staff, world, store):
    merge_rels(store, "PRESENT_IN", "Company", "District", [{"src": "semcorp", "dst": "500105"}])
    data = geo.gap_map_data(store, actor=staff.user.actor(), today=local_today(NOW), chain_id="nev")
    assert data.figures["500157"].local_makers == 3 and "500105" not in data.figures


def test_an_unknown_tile_setting_stops_the_app(embedded_store):
    with pytest.raises(UnsafeConfig):
        create_app({"TESTING": True, "STORE": embedded_store, "MAP_TILES": "googel"})
    with pytest.raises(UnsafeConfig):
        create_app({"TESTING": True, "STORE": embedded_store, "MAP_TILES": "custom"})


def test_an_intranet_tile_server_can_be_configured(embedded_store):
    from tests.pages.conftest import log_in
    from tests.factories import make_reference, make_user

    make_reference(embedded_store)
    app = create_app({"TESTING": True, "STORE": embedded_store, "CLOCK": lambda: NOW, "MAP_TILES": "custom",
                      "MAP_TILE_URL": "https://tiles.intranet.example/{z}/{x}/{y}.png"})
    make_user(embedded_store, "staff", "staff")
    client = app.test_client()
    log_in(client, "staff")
    r, page = frame(client, "")
    assert "tiles.intranet.example" in page and "https://tiles.intranet.example" in r.headers["Content-Security-Policy"]


def test_the_vendored_leaflet_matches_its_record():
    assert vendored_problems() == []


@pytest.mark.slow
def test_the_map_stays_under_2_mb_with_20000_leads(staff, world, store):
    districts = ["500157", "500103", "500106"]
    stages = ["identified", "contacted", "visited", "negotiating", "signed", "dropped"]
    upsert_nodes(store, "Lead", [
        {"id": f"lead-bulk-{i:05d}", "title": f"合成线索 {i:05d} <b>synthetic</b>", "stage": stages[i % 6],
         "priority": "B", "company_id": "catl", "link_id": "nev.cell", "chain_id": "nev",
         "district_id": districts[i % 3], "created_at": NOW - timedelta(days=i % 300), "updated_at": NOW,
         "version": 1, "archived": False, "synthetic": True} for i in range(20_000)], batch=5000)
    r, page = frame(staff, "chain=nev&tiles=none")
    assert len(r.data) < 2 * 1024 * 1024
    assert '"l-500103"' in page and "synthetic</b>" not in page


def test_the_map_and_the_cockpit_say_how_many_local_firms_the_picture_rests_on(staff, store):
    """Issue 15: a gap in the library is not a gap in the city; the pages say what they are based on."""
    n = store.read("MATCH (c:Company) WHERE EXISTS { MATCH (c)-[:PRESENT_IN]->(:District) } "
                   "RETURN count(c) AS n")[0]["n"]
    for url in ("/map?chain=nev", "/chains/nev"):
        page = staff.get(url).get_data(as_text=True)
        assert f"以上基于库中{n}家本地企业" in page, url


def test_a_district_s_popup_counts_the_missing_links_its_firms_buy_from_outside(staff, world):
    _, page = frame(staff, "chain=nev&tiles=none")
    assert json_text("本区企业需从外地采购 1 个本地缺失环节") in page  # 两江新区's firms make vehicles, cells are missing
    staff.get("/lang/en?next=/map")
    assert "Firms here buy 1 missing links from outside" in frame(staff, "chain=nev&tiles=none")[1]


def test_each_local_maker_says_where_its_presence_comes_from_and_how_old_it_is(staff, world, store):
    upsert_nodes(store, "Company", [{"id": "cited", "name_zh": "有据企业", "name_en": "Cited"},
                                    {"id": "bare", "name_zh": "无据企业", "name_en": "Bare"}])
    merge_rels(store, "MAKES", "Company", "ChainNode", [{"src": "cited", "dst": "nev.cell"},
                                                        {"src": "bare", "dst": "nev.cell"}])
    merge_rels(store, "PRESENT_IN", "Company", "District", [
        {"src": "cited", "dst": "500106", "source": "seed: <i>daily</i>", "source_date": date(2024, 11, 8)},
        {"src": "bare", "dst": "500103"}])
    _, page = frame(staff, "chain=nev&tiles=none")
    assert json_text("来源：seed: &lt;i&gt;daily&lt;/i&gt; · 截至 2024-11-08（2年前）").replace("&", "\\u0026") in page
    assert json_text("无来源 · 无日期") in page
