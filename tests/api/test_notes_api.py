"""The notes API: append-only notes on any record, read and written by the record's own access rule."""
import json

import pytest

from tests.factories import make_company, make_contact, make_issue, make_lead, make_note, make_project


def total(response) -> int:
    return json.loads(response.headers["X-Pagination"])["total"]


def bodies(response) -> list[str]:
    return [n["body"] for n in response.json]


def add(client, record_id, body="跟进中", **extra):
    return client.post("/api/v1/notes", json={"record_id": record_id, "body": body, **extra})


@pytest.fixture
def nev_lead(store):
    """A lead on the NEV chain landing in 两江新区."""
    return make_lead(store)


@pytest.fixture
def electronics_lead(store):
    """A lead on the electronics chain landing in 渝中区."""
    return make_lead(store, company_id="bosch", link_id="electronics.chip", district_id="500103")


def test_it_adds_a_note_and_lists_a_records_notes_newest_first(staff_client, nev_lead):
    first = add(staff_client, nev_lead.id, "第一次拜访")
    assert first.status_code == 201, first.json
    assert first.json["author_username"] == "staff" and first.json["record_label"] == "Lead"
    assert first.headers["ETag"] == '"v1"'
    add(staff_client, nev_lead.id, "第二次拜访")
    r = staff_client.get(f"/api/v1/notes?record={nev_lead.id}")
    assert bodies(r) == ["第二次拜访", "第一次拜访"] and total(r) == 2


@pytest.mark.parametrize("kind", ["company", "contact", "project", "issue"])
def test_it_notes_companies_contacts_projects_and_issues(staff_client, store, kind):
    project = make_project(store)
    record = {"company": lambda: make_company(store), "contact": lambda: make_contact(store),
              "project": lambda: project, "issue": lambda: make_issue(store, project.id)}[kind]()
    assert add(staff_client, record.id, "Met the CFO").status_code == 201
    assert bodies(staff_client.get(f"/api/v1/notes?record={record.id}")) == ["Met the CFO"]


def test_it_pages_a_records_notes(staff_client, store, nev_lead):
    for i in range(5):
        make_note(store, nev_lead.id, body=f"note {i}")
    r = staff_client.get(f"/api/v1/notes?record={nev_lead.id}&page_size=2&page=3")
    assert bodies(r) == ["note 0"] and total(r) == 5


def test_it_refuses_an_empty_or_overlong_body_and_writes_nothing(staff_client, nev_lead):
    assert add(staff_client, nev_lead.id, "").status_code == 422
    blank = add(staff_client, nev_lead.id, "   ")
    assert blank.status_code == 422 and "body" in blank.json["errors"]["json"]
    assert add(staff_client, nev_lead.id, "长" * 5001).status_code == 422
    assert staff_client.get(f"/api/v1/notes?record={nev_lead.id}").json == []


def test_it_refuses_a_note_on_a_record_that_does_not_exist(staff_client):
    r = add(staff_client, "lead-ghost")
    assert r.status_code == 422 and "record_id" in r.json["errors"]["json"]
    assert staff_client.get("/api/v1/notes?record=lead-ghost").status_code == 404


def test_notes_are_never_edited_only_archived_by_their_author(staff_client, admin_client, store, nev_lead):
    note = add(staff_client, nev_lead.id, "原话").json
    url = f"/api/v1/notes/{note['id']}"
    assert staff_client.patch(url, json={"body": "改过"}, headers={"If-Match": '"v1"'}).status_code == 422
    other = make_note(store, nev_lead.id, actor=admin_client.user.actor(), body="admin's")
    assert staff_client.patch(f"/api/v1/notes/{other.id}", json={"archived": True},
                              headers={"If-Match": '"v1"'}).status_code == 403
    archived = staff_client.patch(url, json={"archived": True}, headers={"If-Match": '"v1"'})
    assert archived.status_code == 200 and archived.json["body"] == "原话"
    assert bodies(staff_client.get(f"/api/v1/notes?record={nev_lead.id}")) == ["admin's"]
    assert bodies(staff_client.get(f"/api/v1/notes?record={nev_lead.id}&archived=true")) == ["原话"]


def test_an_admin_may_archive_anyones_note(admin_client, staff_client, nev_lead):
    note = add(staff_client, nev_lead.id).json
    r = admin_client.patch(f"/api/v1/notes/{note['id']}", json={"archived": True}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["archived"] is True


def test_archiving_needs_if_match_and_a_stale_one_gets_412(staff_client, nev_lead):
    note = add(staff_client, nev_lead.id).json
    url = f"/api/v1/notes/{note['id']}"
    assert staff_client.patch(url, json={"archived": True}).status_code == 428
    assert staff_client.patch(url, json={"archived": True}, headers={"If-Match": '"v1"'}).status_code == 200
    assert staff_client.patch(url, json={"archived": False}, headers={"If-Match": '"v1"'}).status_code == 412
    assert staff_client.get(url).json["archived"] is True


def test_it_needs_a_login(anonymous_client, nev_lead):
    assert anonymous_client.get(f"/api/v1/notes?record={nev_lead.id}").status_code == 401


def test_a_chain_leader_comments_on_their_chains_records_only(chain_leader_client, electronics_lead, nev_lead):
    assert add(chain_leader_client, electronics_lead.id).status_code == 201
    assert add(chain_leader_client, "bosch").status_code == 201
    assert add(chain_leader_client, "catl").status_code == 403
    hidden = add(chain_leader_client, nev_lead.id)
    assert hidden.status_code == 422 and "record_id" in hidden.json["errors"]["json"]
    assert chain_leader_client.get(f"/api/v1/notes?record={nev_lead.id}").status_code == 404


def test_a_district_officer_reads_and_writes_notes_in_their_district_only(district_officer_client, staff_client,
                                                                          electronics_lead, nev_lead):
    add(staff_client, nev_lead.id, "两江的备注")
    client = district_officer_client
    assert add(client, electronics_lead.id).status_code == 201
    assert client.get(f"/api/v1/notes?record={nev_lead.id}").status_code == 404
    assert add(client, nev_lead.id).status_code == 422
    assert add(client, "bosch").status_code == 403


def test_a_viewer_reads_notes_but_does_not_write_them(viewer_client, staff_client, nev_lead):
    add(staff_client, nev_lead.id, "可见")
    assert bodies(viewer_client.get(f"/api/v1/notes?record={nev_lead.id}")) == ["可见"]
    assert add(viewer_client, nev_lead.id).status_code == 403
