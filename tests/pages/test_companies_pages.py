"""The enterprise library's pages: the list (search, filters) and a company's page within the reader's limits."""
import pytest

from crm.library import companies, contacts
from crm.people import notes
from crm.base.access import SYSTEM
from tests.factories import NOW
from tests.pages.conftest import form_post
from tests.pages.world import XSS

ROLES = ["staff", "admin", "chain_leader", "district_officer", "viewer"]


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_library(request, world, role):
    client = request.getfixturevalue(role)
    assert "/companies/catl" in html(client, "/companies")
    assert "宁德时代" in html(client, "/companies/catl")


@pytest.mark.parametrize("q, found, absent", [("宁德", "catl", "bosch"), ("bosch", "bosch", "catl"),
                                              ("robert bosch", "bosch", "infineon")])
def test_it_searches_in_chinese_and_english(staff, world, q, found, absent):
    page = html(staff, f"/companies?q={q}")
    assert f"/companies/{found}" in page and f"/companies/{absent}" not in page


def test_it_filters_by_country_fortune_500_locality_and_chain(staff, world):
    page = html(staff, "/companies?country=DE")
    assert "/companies/bosch" in page and "/companies/catl" not in page and "德国" in page
    page = html(staff, "/companies?fg500=true")
    assert "/companies/bosch" in page and "/companies/infineon" not in page
    page = html(staff, "/companies?local=true")
    assert "/companies/changan" in page and "/companies/catl" not in page
    page = html(staff, "/companies?chain=electronics")
    assert "/companies/infineon" in page and "/companies/semcorp" not in page


def test_it_sorts_by_fortune_500_rank(staff, world):
    page = html(staff, "/companies?fg500=true&sort=fg500_rank")
    assert page.index("/companies/bosch") < page.index("/companies/catl")


def test_a_company_page_shows_its_links_presence_leads_projects_and_contacts(staff, world):
    page = html(staff, "/companies/catl")
    assert "动力电池电芯" in page and "智能网联新能源汽车" in page
    assert f"/leads/{world.lj.id}" in page and f"/projects/{world.proj_yz.id}" in page
    assert "曾先生" in page and "世界500强第 292 位" in page


def test_a_company_page_shows_local_suppliers_and_customers(staff, world):
    page = html(staff, "/companies/semcorp")
    local = page[page.index("与本地企业的上下游关系"):]
    assert "长安汽车" in local.split("本地客户")[0] and "长安汽车" in local.split("本地客户")[1]
    assert "英飞凌" not in local.split("另有")[0] and "另有 1 家重庆以外的上下游企业" in local
    assert "两江新区" in html(staff, "/companies/changan")


def test_a_district_officer_sees_only_their_districts_leads_and_projects_on_a_company_page(district_officer, world):
    page = html(district_officer, "/companies/catl")
    assert f"/leads/{world.lj.id}" in page and f"/projects/{world.proj_yz.id}" not in page
    page = html(district_officer, "/companies/bosch")
    assert f"/leads/{world.yz.id}" not in page and "博世 · 功率半导体" not in page
    assert f"/projects/{world.proj_lj.id}" in page


def test_a_script_company_name_is_shown_as_text(staff, world):
    for url in ("/companies", "/companies/xss", "/companies/changan", "/companies?q=script"):
        page = html(staff, url)
        assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


def test_a_note_on_a_company_is_added_and_an_empty_one_refused(staff, viewer, world, store):
    r = form_post(staff, "/companies/catl/notes", {"body": ""})
    assert r.status_code == 422 and "此项为必填项" in r.get_data(as_text=True)
    assert notes.list_notes(store, "catl", actor=staff.user.actor()).total == 0
    assert form_post(staff, "/companies/catl/notes", {"body": "拟邀请参加智博会"}).status_code == 302
    assert "拟邀请参加智博会" in html(viewer, "/companies/catl")
    assert "添加备注" not in html(viewer, "/companies/catl")


def test_staff_add_a_contact_and_bad_input_is_refused_beside_the_fields(staff, viewer, world, store):
    def people():
        return [c.name for c in contacts.list_contacts(store, contacts.ContactQuery(company="catl")).items]

    before = people()
    r = form_post(staff, "/companies/catl/contacts", {"name": "", "email": "not-an-address", "phone": "call me"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and page.count("aria-invalid=true") == 3 and "call me" in page
    assert people() == before
    r = form_post(staff, "/companies/catl/contacts", {"name": "陈" + XSS, "title": "采购总监", "email": "chen@catl.com"})
    assert r.status_code == 302 and r.location.endswith("#contacts")
    page = html(viewer, "/companies/catl")
    assert "采购总监" in page and "mailto:chen@catl.com" in page and XSS not in page
    assert "添加联系人" not in page, "a viewer gets no form"
    assert form_post(viewer, "/companies/catl/contacts", {"name": "王"}).status_code == 403


def test_staff_correct_a_contact_or_archive_one_who_left(staff, viewer, store):
    person = contacts.create_contact(store, {"company_id": "catl", "name": "吴敏", "title": "经理"}, actor=SYSTEM, now=NOW)
    url = f"/contacts/{person.id}/edit"
    assert f'href="{url}"' in html(staff, "/companies/catl") and f'href="{url}"' not in html(viewer, "/companies/catl")
    bad = form_post(staff, url, {"name": "吴敏", "email": "wu at catl", "version": str(person.version)}, url)
    assert bad.status_code == 422 and contacts.get_contact(store, person.id).email is None
    ok = form_post(staff, url, {"name": "吴敏", "title": "采购总监", "email": "wu@catl.com",
                                "version": str(person.version)}, url)
    assert ok.status_code == 302 and ok.location.endswith("/companies/catl#contacts")
    assert "采购总监" in html(viewer, "/companies/catl")
    gone = form_post(staff, url, {"name": "吴敏", "archived": "1", "version": str(person.version + 1)}, url)
    assert gone.status_code == 302 and "吴敏" not in html(viewer, "/companies/catl")
    assert viewer.get(url).status_code == 403


def _company_form(company, **changes):
    form = {"name_zh": company.name_zh or "", "name_en": company.name_en or "", "aliases": "\n".join(company.aliases),
            "country": company.country or "", "industry": company.industry or "",
            "fg500_rank": str(company.fg500_rank or ""), "fg500_year": str(company.fg500_year or ""),
            "revenue_usd_m": str(company.revenue_usd_m or ""), "employees": str(company.employees or ""),
            "link_ids": company.link_ids, "district_ids": company.district_ids, "source": company.source or "",
            "version": str(company.version), **{k: "1" for k in ("multinational", "leading") if getattr(company, k)}}
    return {**form, **changes}


def test_staff_correct_a_company_s_facts_links_and_names(staff, world, store):
    catl = companies.fetch(store, "catl")
    assert 'href="/companies/catl/edit"' in html(staff, "/companies/catl")
    r = form_post(staff, "/companies/catl/edit", _company_form(
        catl, name_en="CATL Europe", aliases="宁德时代\nCATL GmbH", employees="132,000",
        link_ids=[*catl.link_ids, "electronics.chip"]), "/companies/catl/edit")
    assert r.status_code == 302 and r.location == "/companies/catl"
    saved = companies.fetch(store, "catl")
    assert (saved.name_en, saved.aliases, saved.employees) == ("CATL Europe", ["宁德时代", "CATL GmbH"], 132_000)
    assert "electronics.chip" in saved.link_ids
    assert "CATL Europe" in html(staff, "/companies/catl")


def test_a_bad_or_stale_company_form_is_refused_and_nothing_changes(staff, store):
    catl = companies.fetch(store, "catl")
    url = "/companies/catl/edit"
    unreadable = form_post(staff, url, _company_form(catl, fg500_rank="first", revenue_usd_m="a lot"), url)
    assert unreadable.status_code == 422 and unreadable.get_data(as_text=True).count("aria-invalid=true") == 2
    bad = form_post(staff, url, _company_form(catl, country="Germany"), url)
    assert bad.status_code == 422 and 'name="country" type="text" value="GERMANY"' in bad.get_data(as_text=True)
    assert form_post(staff, url, _company_form(catl, industry="电池"), url).status_code == 302
    stale = form_post(staff, url, _company_form(catl, industry="储能"), url)
    assert stale.status_code == 422 and companies.fetch(store, "catl").industry == "电池"


@pytest.mark.parametrize("role", ["chain_leader", "district_officer", "viewer"])
def test_only_staff_edit_the_library(request, role):
    client = request.getfixturevalue(role)
    assert 'href="/companies/catl/edit"' not in html(client, "/companies/catl")
    assert client.get("/companies/catl/edit").status_code == 403


def test_an_unknown_company_is_not_found(staff):
    assert staff.get("/companies/nobody").status_code == 404


def test_staff_record_from_the_company_page_that_a_firm_left(staff, viewer, store):
    present = store.read("MATCH (c:Company)-[:PRESENT_IN]->(d:District) RETURN c.id AS c, d.id AS d LIMIT 1")[0]
    url = f"/companies/{present['c']}"
    assert "记录撤离" in staff.get(url).get_data(as_text=True) and "记录撤离" not in viewer.get(url).get_data(as_text=True)
    bad = form_post(staff, f"{url}/presence/{present['d']}/end", {"until": "2024-01-01", "reason": "boredom"}, url)
    assert bad.status_code == 422 and "aria-invalid=true" in bad.get_data(as_text=True)
    ok = form_post(staff, f"{url}/presence/{present['d']}/end", {"until": "2024-01-01", "reason": "sale"}, url)
    assert ok.status_code == 302
    page = staff.get(url).get_data(as_text=True)
    assert "至2024" in page and "出售" in page


def test_a_company_s_industry_reads_in_the_reader_s_language(staff, store, world):
    from crm.base.access import SYSTEM
    from crm.library.company_edits import update_company
    from tests.factories import NOW

    update_company(store, "catl", {"industry": "Motor vehicle parts"}, actor=SYSTEM, now=NOW, expected_version=None)
    assert "<dd>汽车零部件</dd>" in html(staff, "/companies/catl")
    staff.get("/lang/en?next=/companies/catl")
    assert "<dd>Motor vehicle parts</dd>" in html(staff, "/companies/catl")
