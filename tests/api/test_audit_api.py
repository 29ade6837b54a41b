"""The audit API: a record's history, newest first, with each changed field before and after."""
import json

from tests.factories import make_company, make_followup, make_lead, make_user


def total(response) -> int:
    return json.loads(response.headers["X-Pagination"])["total"]


def test_an_update_shows_before_and_after_of_the_changed_fields_only(staff_client, store):
    company = make_company(store)
    r = staff_client.patch(f"/api/v1/companies/{company.id}", json={"country": "FR", "industry": "Chips",
                                                                     "multinational": True},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200
    history = staff_client.get(f"/api/v1/audit?record={company.id}")
    assert history.status_code == 200 and [e["action"] for e in history.json] == ["update", "create"]
    latest = history.json[0]
    assert latest["actor"] == "staff" and latest["record_label"] == "Company"
    assert latest["changes"] == {"country": {"before": "CH", "after": "FR"},
                                 "industry": {"before": None, "after": "Chips"}}


def test_a_change_of_links_shows_the_sets_before_and_after(staff_client):
    staff_client.patch("/api/v1/companies/infineon", json={"link_ids": ["electronics.notebook", "electronics.chip"]},
                       headers={"If-Match": '"v1"'})
    entry = staff_client.get("/api/v1/audit?record=infineon&label=Company").json[0]
    assert entry["changes"]["link_ids"] == {"before": ["electronics.chip"],
                                            "after": ["electronics.chip", "electronics.notebook"]}


def test_it_pages_a_long_history(staff_client, store):
    company = make_company(store)
    for version, industry in enumerate(["a", "b", "c"], start=1):
        staff_client.patch(f"/api/v1/companies/{company.id}", json={"industry": industry},
                           headers={"If-Match": f'"v{version}"'})
    r = staff_client.get(f"/api/v1/audit?record={company.id}&page_size=2&page=2")
    assert [e["action"] for e in r.json] == ["update", "create"] and total(r) == 4
    assert r.json[0]["changes"]["industry"] == {"before": None, "after": "a"}


def test_it_needs_a_record_and_a_known_label(staff_client):
    assert staff_client.get("/api/v1/audit").status_code == 422
    assert staff_client.get("/api/v1/audit?record=bosch&label=Spaceship").status_code == 422


def test_staff_see_any_records_history_even_of_a_record_never_written(staff_client):
    r = staff_client.get("/api/v1/audit?record=nothing-here")
    assert r.status_code == 200 and r.json == []


def test_it_needs_a_login(anonymous_client):
    assert anonymous_client.get("/api/v1/audit?record=bosch").status_code == 401


def test_a_district_officer_sees_the_history_of_their_districts_records_only(district_officer_client, store):
    mine = make_lead(store, district_id="500103")
    other = make_lead(store, district_id="500157")
    client = district_officer_client
    assert [e["action"] for e in client.get(f"/api/v1/audit?record={mine.id}").json] == ["create"]
    assert client.get(f"/api/v1/audit?record={other.id}").status_code == 404
    assert client.get(f"/api/v1/audit?record={client.user.id}&label=User").status_code == 200, "their own account"


def test_a_chain_leader_sees_the_history_of_their_chains_records_and_the_library(chain_leader_client, store):
    electronics = make_lead(store, company_id="bosch", link_id="electronics.chip")
    nev = make_lead(store)
    company = make_company(store)
    client = chain_leader_client
    assert client.get(f"/api/v1/audit?record={electronics.id}").status_code == 200
    assert client.get(f"/api/v1/audit?record={nev.id}").status_code == 404
    assert client.get(f"/api/v1/audit?record={company.id}").status_code == 200


def test_a_viewer_may_not_see_the_history_of_records_without_a_read_rule(viewer_client, store):
    lead = make_lead(store)
    assert viewer_client.get(f"/api/v1/audit?record={lead.id}").status_code == 200
    assert viewer_client.get("/api/v1/audit?record=nothing-here").status_code == 404


def test_an_unknown_id_and_one_out_of_scope_answer_alike(district_officer_client, store):
    other = make_lead(store, district_id="500157")
    unknown = district_officer_client.get("/api/v1/audit?record=lead-never-was")
    hidden = district_officer_client.get(f"/api/v1/audit?record={other.id}")
    assert unknown.status_code == hidden.status_code == 404


def test_a_password_change_is_recorded_without_the_hashes(admin_client, store):
    user = make_user(store, "lin", "staff")
    assert admin_client.post(f"/api/v1/users/{user.id}/password", json={"password": "a new long password"}).status_code \
        in (200, 204)
    entries = admin_client.get(f"/api/v1/audit?record={user.id}").json
    assert "argon2" not in json.dumps(entries)
    assert any(e["changes"].get("password_hash") == {"before": "(secret: changed)", "after": "(secret: changed)"}
               for e in entries)


def test_an_account_s_history_is_for_admins_and_its_owner_only(staff_client, admin_client, store):
    admin = admin_client.user
    assert staff_client.get(f"/api/v1/audit?record={admin.id}").status_code == 404
    assert staff_client.get(f"/api/v1/audit?record={admin.id}&label=User").status_code == 404
    assert staff_client.get(f"/api/v1/audit?record={staff_client.user.id}").status_code == 200
    assert admin_client.get(f"/api/v1/audit?record={staff_client.user.id}").status_code == 200


def test_a_follow_up_s_history_follows_read_access(chain_leader_client, district_officer_client, store):
    call = make_followup(store, make_lead(store, company_id="bosch", link_id="electronics.chip",
                                          district_id="500157").id)
    assert [e["action"] for e in chain_leader_client.get(f"/api/v1/audit?record={call.id}").json] == ["create"]
    assert district_officer_client.get(f"/api/v1/audit?record={call.id}").status_code == 404
