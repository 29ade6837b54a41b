"""Where each fact comes from and how old it is, as readers see it: on the company page (presence, links made,
rank), in a chain's link panel (its local makers), and on the data steward's page of facts to review, which
staff and admins open from the menu and which links each fact to its company."""
from __future__ import annotations

from datetime import date

import pytest

from crm.library.imports.run import import_companies
from tests.factories import NOW, make_presence
from tests.factories.files import company, csv_file


@pytest.fixture
def sourced(store):
    """CATL in 沙坪坝区 by two citations (the newest of 2024-11-08); makes cells, cited once, undated."""
    make_presence(store, "catl", "500106", source="seed: CATL report", sources=["seed: CATL report",
                                                                                  "fair.csv: <b>fair</b> list"],
                  source_date=date(2024, 11, 8))
    store.write("MATCH (:Company {id: 'catl'})-[m:MAKES]->(:ChainNode {id: 'nev.cell'}) SET m.source = 'seed: cells'")
    return store


def html(client, url) -> str:
    r = client.get(url)
    assert r.status_code == 200, url
    return r.get_data(as_text=True)


def test_the_company_page_shows_each_facts_sources_escaped_and_its_age(viewer, sourced):
    page = html(viewer, "/companies/catl")
    assert "来源：seed: CATL report; fair.csv: &lt;b&gt;fair&lt;/b&gt; list" in page and "<b>fair</b>" not in page
    assert "截至 2024-11-08（2年前）" in page
    assert "来源：seed: cells" in page and "无日期" in page


def test_the_company_page_shows_the_ranks_list_and_says_when_it_has_no_source(viewer, sourced):
    sourced.write("MATCH (c:Company {id: 'catl'}) SET c.fg500_year = 2024, c.fg500_source = 'Fortune 2024 list'")
    page = html(viewer, "/companies/catl")
    assert "2024年榜单第 292 位" in page and "来源：Fortune 2024 list" in page
    assert "无来源" in html(viewer, "/companies/bosch")  # the factory's rank 110 names no list


def test_the_link_panel_shows_where_each_local_maker_comes_from(viewer, sourced):
    page = html(viewer, "/chains/nev?link=nev.cell")
    assert "宁德时代" in page and "来源：seed: cells" in page


@pytest.mark.parametrize("role, menu", [("staff", True), ("admin", True), ("viewer", False),
                                        ("chain_leader", False), ("district_officer", False)])
def test_the_steward_page_is_in_the_menu_of_those_who_keep_the_library(request, role, menu):
    client = request.getfixturevalue(role)
    assert ('href="/sources"' in html(client, "/")) is menu
    assert client.get("/sources").status_code == (200 if menu else 403)


def test_the_steward_page_lists_undated_facts_first_each_linking_to_its_company(staff, sourced, tmp_path):
    import_companies(sourced, csv_file(tmp_path, [company(company_id="bosch", name_en="Robert Bosch GmbH",
                                                          present_in="500103", source="old press",
                                                          source_date="2014-11-05", makes="")]), now=NOW)
    page = html(staff, "/sources?kind=presence&flag=oldest")
    assert page.index('href="/companies/bosch"') < page.index('href="/companies/catl"')
    assert "2014-11-05" in page and "12年前" in page


def test_the_steward_page_filters_by_flag_and_drops_a_filter_it_does_not_know(staff, sourced):
    page = html(staff, "/sources?kind=makes&flag=undated")
    assert 'href="/companies/catl"' in page
    dropped = html(staff, "/sources?kind=gossip")
    assert "已忽略：kind" in dropped and "<option value=\"presence\" selected>" in dropped
