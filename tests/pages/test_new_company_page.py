"""The New company page (issue 16, item 11): staff and admins add a firm to the library from the
pages, with messages beside the fields and nothing saved on bad input; other roles are refused."""
import pytest

from crm.library import companies
from tests.pages.conftest import form_post

URL = "/companies/new"


def html(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def count(store) -> int:
    return companies.list_companies(store, companies.CompanyQuery(page_size=200)).total


def test_staff_add_a_company_with_its_links_and_districts(staff, store):
    assert f'href="{URL}"' in html(staff, "/companies")
    assert "新建企业" in html(staff, URL)
    r = form_post(staff, URL, {"name_zh": "中创新航", "name_en": "CALB", "country": "cn", "industry": "动力电池",
                               "employees": "12,000", "link_ids": ["nev.cell"], "district_ids": ["500157"]}, URL)
    assert r.status_code == 302
    created = companies.fetch(store, r.location.rsplit("/", 1)[1])
    assert (created.name_zh, created.country, created.employees) == ("中创新航", "CN", 12_000)
    assert created.link_ids == ["nev.cell"] and "500157" in created.district_ids
    assert "中创新航" in html(staff, r.location)


def test_an_admin_adds_one_in_english(admin, store):
    admin.get("/lang/en?next=/companies")
    assert "New company" in html(admin, URL)
    assert form_post(admin, URL, {"name_en": "Northvolt", "country": "SE"}, URL).status_code == 302


def test_bad_input_is_refused_beside_each_field_and_nothing_is_saved(staff, store):
    before = count(store)
    unreadable = form_post(staff, URL, {"name_zh": "某企业", "employees": "many", "fg500_rank": "first"}, URL)
    assert unreadable.status_code == 422 and unreadable.get_data(as_text=True).count("aria-invalid=true") == 2
    bad = form_post(staff, URL, {"name_zh": "某企业", "country": "Sweden"}, URL)
    assert bad.status_code == 422 and 'name="country" type="text" value="SWEDEN"' in bad.get_data(as_text=True)
    assert count(store) == before


def test_a_company_without_a_name_is_refused(staff, store):
    before = count(store)
    r = form_post(staff, URL, {"country": "DE", "industry": "Chips"}, URL)
    assert r.status_code == 422 and count(store) == before


def test_a_second_company_under_a_taken_name_is_refused(staff, store):
    companies_before = count(store)
    assert form_post(staff, URL, {"name_zh": "中创新航"}, URL).status_code == 302
    before = companies_before + 1
    r = form_post(staff, URL, {"name_zh": "中创新航"}, URL)
    assert r.status_code == 422 and "field-error" in r.get_data(as_text=True)
    assert count(store) == before


@pytest.mark.parametrize("role", ["chain_leader", "district_officer", "viewer"])
def test_other_roles_neither_see_nor_may_use_the_form(request, role, store):
    client = request.getfixturevalue(role)
    assert f'href="{URL}"' not in html(client, "/companies")
    html(client, URL, status=403)
    assert form_post(client, URL, {"name_zh": "越权企业"}).status_code == 403
    assert not companies.list_companies(store, companies.CompanyQuery(q="越权企业")).items
