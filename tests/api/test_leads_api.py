"""The leads API: create, read, list, edit with ETags, and move through the pipeline."""
from tests.factories import make_lead


def create(client, **overrides):
    body = {"company_id": "catl", "link_id": "nev.cell", "district_id": "500157", "priority": "A",
            "expected_usd": 80_000_000, "source": "ranking"} | overrides
    return client.post("/api/v1/leads", json=body)


def test_it_creates_a_lead_at_identified_with_an_etag(staff_client):
    r = create(staff_client)
    assert r.status_code == 201, r.json
    assert r.json["stage"] == "identified" and r.json["company_name_zh"] == "宁德时代"
    assert r.headers["ETag"] == '"v1"' and r.headers["Location"].endswith(r.json["id"])


def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(staff_client):
    r = create(staff_client, priority="Z", expected_usd=-5, colour="red")
    assert r.status_code == 422
    assert {"priority", "expected_usd", "colour"} <= set(r.json["errors"]["json"])
    assert staff_client.get("/api/v1/leads").json == []


def test_it_refuses_an_unknown_company(staff_client):
    r = create(staff_client, company_id="ghost")
    assert r.status_code == 422 and "no Company with id 'ghost'" in r.json["errors"]["json"]["company_id"][0]


def test_it_points_an_abolished_district_to_its_successor(staff_client):
    r = create(staff_client, district_id="500105")
    assert r.status_code == 422
    assert "两江新区 (500157)" in r.json["errors"]["json"]["district_id"][0]


def test_it_needs_a_login(anonymous_client):
    r = anonymous_client.get("/api/v1/leads")
    assert r.status_code == 401 and r.json["code"] == 401 and "Bearer" in r.headers["WWW-Authenticate"]


def test_it_requires_if_match_to_edit(staff_client):
    lead = create(staff_client).json
    r = staff_client.patch(f"/api/v1/leads/{lead['id']}", json={"priority": "C"})
    assert r.status_code == 428


def test_a_stale_edit_gets_412_and_changes_nothing(staff_client):
    lead = create(staff_client).json
    url = f"/api/v1/leads/{lead['id']}"
    first = staff_client.patch(url, json={"priority": "C"}, headers={"If-Match": '"v1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"v2"'
    stale = staff_client.patch(url, json={"priority": "B"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert staff_client.get(url).json["priority"] == "C"


def test_it_moves_a_lead_one_stage_at_a_time(staff_client):
    lead = create(staff_client).json
    url = f"/api/v1/leads/{lead['id']}/stage"
    skip = staff_client.post(url, json={"to": "negotiating"}, headers={"If-Match": '"v1"'})
    assert skip.status_code == 409 and "cannot skip" in skip.json["message"]
    ok = staff_client.post(url, json={"to": "contacted"}, headers={"If-Match": '"v1"'})
    assert ok.status_code == 200 and ok.json["stage"] == "contacted"
    history = staff_client.get(f"/api/v1/leads/{lead['id']}/history").json
    assert [h["to_stage"] for h in history] == ["identified", "contacted"]


def test_dropping_needs_a_reason(staff_client):
    lead = create(staff_client).json
    r = staff_client.post(f"/api/v1/leads/{lead['id']}/stage", json={"to": "dropped"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 409 and "reason" in r.json["message"]


def test_signing_creates_the_project(staff_client, store):
    lead = make_lead(store, stage=None)
    for to in ("contacted", "visited", "negotiating", "signed"):
        current = staff_client.get(f"/api/v1/leads/{lead.id}")
        r = staff_client.post(f"/api/v1/leads/{lead.id}/stage", json={"to": to, "project": {"manufacturing": True}},
                              headers={"If-Match": current.headers["ETag"]})
        assert r.status_code == 200, r.json
    assert r.json["project_id"]


def test_it_lists_with_filters_search_and_paging(staff_client, store):
    for i in range(7):
        make_lead(store, title=f"线索 {i}", priority="A" if i % 2 else "C")
    make_lead(store, company_id="bosch", link_id="electronics.chip", title="Bosch chips")
    r = staff_client.get("/api/v1/leads?priority=A&page_size=2&page=1&sort=title")
    assert r.status_code == 200 and len(r.json) == 2
    assert '"total": 4' in r.headers["X-Pagination"]  # three odd ones and Bosch
    assert [x["title"] for x in staff_client.get("/api/v1/leads?q=博世").json] == ["Bosch chips"]
    assert len(staff_client.get("/api/v1/leads?chain=electronics").json) == 1


def test_an_unknown_sort_key_is_a_422(staff_client):
    assert staff_client.get("/api/v1/leads?sort=colour").status_code == 422


def test_a_district_officer_sees_only_their_district(district_officer_client, store):
    mine = make_lead(store, district_id="500103")
    other = make_lead(store, district_id="500157")
    ids = [x["id"] for x in district_officer_client.get("/api/v1/leads").json]
    assert ids == [mine.id]
    assert district_officer_client.get(f"/api/v1/leads/{other.id}").status_code == 404


def test_a_viewer_may_read_but_not_write(viewer_client, store):
    lead = make_lead(store)
    assert viewer_client.get(f"/api/v1/leads/{lead.id}").status_code == 200
    assert create(viewer_client).status_code == 403


def test_a_chain_leader_may_reassign_on_their_chain(chain_leader_client, store, staff_client):
    lead = make_lead(store, company_id="bosch", link_id="electronics.chip")
    r = chain_leader_client.patch(f"/api/v1/leads/{lead.id}", json={"owner_id": staff_client.user.id},
                                  headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["owner_id"] == staff_client.user.id
    r = chain_leader_client.patch(f"/api/v1/leads/{lead.id}", json={"priority": "C"}, headers={"If-Match": '"v2"'})
    assert r.status_code == 403
