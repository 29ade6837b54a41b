"""Audit pages (issue 16, item 13): a record's history from its page, who/when/what, to those who may
read the record; and the admins' global audit log, filtered by user, record kind and days, paged."""
from datetime import timedelta

from crm.base.access import Actor
from crm.library.company_edits import update_company
from crm.pipeline.leads import update_lead
from tests.factories import NOW, make_company, make_lead, make_user


def html(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def as_actor(user) -> Actor:
    return Actor(id=user.id, username=user.username, role=user.role)


def test_a_lead_page_links_to_its_history_showing_who_changed_what(staff, store):
    lead = make_lead(store)
    update_lead(store, lead.id, {"priority": "B"}, actor=as_actor(staff.user), now=NOW, expected_version=lead.version)
    assert f'href="/history/Lead/{lead.id}"' in html(staff, f"/leads/{lead.id}")
    page = html(staff, f"/history/Lead/{lead.id}")
    assert "历史" in page and "priority" in page and "staff" in page
    assert page.index(">update<") < page.index(">create<"), "newest first"


def test_project_and_company_pages_link_to_their_history_in_english_too(staff, store, world):
    company = make_company(store)
    update_company(store, company.id, {"industry": "Chips"}, actor=as_actor(staff.user), now=NOW,
                   expected_version=company.version)
    staff.get("/lang/en?next=/")
    assert f'href="/history/Project/{world.proj_lj.id}"' in html(staff, f"/projects/{world.proj_lj.id}")
    assert f'href="/history/Company/{company.id}"' in html(staff, f"/companies/{company.id}")
    page = html(staff, f"/history/Company/{company.id}")
    assert "History" in page and "Chips" in page and "What changed" in page


def test_user_text_in_a_history_is_escaped(staff, store):
    company = make_company(store)
    update_company(store, company.id, {"industry": "<script>alert(1)</script>"}, actor=as_actor(staff.user),
                   now=NOW, expected_version=company.version)
    page = html(staff, f"/history/Company/{company.id}")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_district_officer_cannot_read_the_history_of_another_district_s_lead(district_officer, store):
    mine, other = make_lead(store, district_id="500157"), make_lead(store, district_id="500103")
    assert "create" in html(district_officer, f"/history/Lead/{mine.id}")
    html(district_officer, f"/history/Lead/{other.id}", status=404)


def test_an_unknown_record_kind_is_refused_with_the_reason(staff):
    assert "Spaceship" in html(staff, "/history/Spaceship/x", status=422)


def test_only_admins_read_and_see_the_global_audit_log(admin, staff, viewer):
    assert 'href="/audit"' in html(admin, "/")
    assert 'href="/audit"' not in html(staff, "/")
    html(staff, "/audit", status=403)
    html(viewer, "/audit", status=403)


def test_the_log_filters_by_user_and_record_kind(admin, staff, store):
    lead = make_lead(store)
    update_lead(store, lead.id, {"priority": "C"}, actor=as_actor(staff.user), now=NOW, expected_version=lead.version)
    everything = html(admin, "/audit")
    assert f"Lead {lead.id}" in everything and "审计日志" in everything
    by_staff = html(admin, "/audit?user=staff")
    assert f'href="/history/Lead/{lead.id}"' in by_staff and "User " not in by_staff
    assert f"Lead {lead.id}" not in html(admin, "/audit?label=User")
    assert "Lead " not in html(admin, "/audit?user=nobody")


def test_the_log_filters_by_shanghai_days(admin, staff, store):
    lead = make_lead(store)
    later = NOW + timedelta(days=3)
    update_lead(store, lead.id, {"priority": "C"}, actor=as_actor(staff.user), now=later, expected_version=lead.version)
    day = (later + timedelta(hours=8)).date()
    only_later = html(admin, f"/audit?since={day}&until={day}")
    assert ">update<" in only_later and ">create<" not in only_later
    before = html(admin, f"/audit?until={day - timedelta(days=1)}")
    assert ">create<" in before and ">update<" not in before


def test_a_reversed_date_range_is_explained_beside_the_field(admin, store):
    make_lead(store)
    page = html(admin, "/audit?since=2026-11-20&until=2026-11-01", status=422)
    assert "field-error" in page and "Lead " not in page


def test_a_malformed_filter_is_dropped_and_said(admin, store):
    make_lead(store)
    page = html(admin, "/audit?since=yesterday&label=Spaceship")
    assert "since" in page and "label" in page and "Lead " in page


def test_the_log_pages_in_english(admin, store):
    for n in range(3):
        make_user(store, f"person{n}", "viewer")
    admin.get("/lang/en?next=/audit")
    page = html(admin, "/audit?label=User")
    assert "Audit log" in page and "in all" in page


def test_a_password_change_shows_in_the_log_without_its_hash(admin, store):
    from crm.people.users import set_password

    person = make_user(store, "clerk", "staff")
    set_password(store, person.id, "another long passphrase", actor=as_actor(admin.user), now=NOW)
    page = html(admin, "/audit?user=admin&label=User")
    assert "(secret: changed)" in page, "the change is shown, masked as the API masks it"
    assert "argon2" not in page and "another long passphrase" not in page
