"""The pool and assignment-rules API: who sees the pool, claiming with ETags, rules by role."""
from tests.factories import make_lead


def test_staff_see_the_pool_and_claim_a_lead(staff_client, store):
    lead = make_lead(store)
    make_lead(store, owner_id=staff_client.user.id)
    r = staff_client.get("/api/v1/pool")
    assert r.status_code == 200 and [x["id"] for x in r.json] == [lead.id] and r.json[0]["in_pool"]
    claimed = staff_client.post(f"/api/v1/pool/{lead.id}/claim", headers={"If-Match": '"v1"'})
    assert claimed.status_code == 200 and claimed.json["owner_id"] == staff_client.user.id
    assert claimed.headers["ETag"] == '"v2"' and staff_client.get("/api/v1/pool").json == []


def test_a_second_claimant_is_told_who_was_first(staff_client, admin_client, store):
    lead = make_lead(store)
    assert staff_client.post(f"/api/v1/pool/{lead.id}/claim", headers={"If-Match": '"v1"'}).status_code == 200
    late = admin_client.post(f"/api/v1/pool/{lead.id}/claim", headers={"If-Match": '"v1"'})
    assert late.status_code == 409 and "staff claimed it first" in late.json["message"]


def test_a_claim_needs_if_match_and_a_current_one(staff_client, store):
    lead = make_lead(store)
    assert staff_client.post(f"/api/v1/pool/{lead.id}/claim").status_code == 428
    assert staff_client.post(f"/api/v1/pool/{lead.id}/claim", headers={"If-Match": '"v9"'}).status_code == 412


def test_chain_leaders_see_their_chains_pool_but_do_not_claim(chain_leader_client, store):
    chip = make_lead(store, company_id="bosch", link_id="electronics.chip")
    make_lead(store)
    assert [x["id"] for x in chain_leader_client.get("/api/v1/pool").json] == [chip.id]
    r = chain_leader_client.post(f"/api/v1/pool/{chip.id}/claim", headers={"If-Match": '"v1"'})
    assert r.status_code == 403


def test_a_district_officer_claims_in_their_district_only(district_officer_client, store):
    mine = make_lead(store, district_id="500103")
    other = make_lead(store, district_id="500157")
    assert [x["id"] for x in district_officer_client.get("/api/v1/pool").json] == [mine.id]
    assert district_officer_client.post(f"/api/v1/pool/{mine.id}/claim",
                                        headers={"If-Match": '"v1"'}).status_code == 200
    assert district_officer_client.post(f"/api/v1/pool/{other.id}/claim",
                                        headers={"If-Match": '"v1"'}).status_code == 404


def test_rules_place_new_leads_and_only_staff_manage_them(staff_client, viewer_client, store):
    r = staff_client.post("/api/v1/assignment-rules", json={"user_id": staff_client.user.id, "chain_id": "nev"})
    assert r.status_code == 201 and r.headers["ETag"] == '"v1"'
    rule = r.json
    assert viewer_client.post("/api/v1/assignment-rules", json={"user_id": staff_client.user.id,
                                                                "chain_id": "nev"}).status_code == 403
    assert make_lead(store).owner_id == staff_client.user.id
    assert len(viewer_client.get("/api/v1/assignment-rules").json) == 1
    url = f"/api/v1/assignment-rules/{rule['id']}"
    assert staff_client.patch(url, json={"archived": True}).status_code == 428
    archived = staff_client.patch(url, json={"archived": True}, headers={"If-Match": '"v1"'})
    assert archived.status_code == 200 and archived.json["archived"]
    assert staff_client.patch(url, json={"position": 1}, headers={"If-Match": '"v1"'}).status_code == 412
    assert make_lead(store).in_pool


def test_a_rule_needs_a_user_and_a_chain_or_district(staff_client):
    r = staff_client.post("/api/v1/assignment-rules", json={"note": "x" * 501, "colour": "red"})
    assert r.status_code == 422 and {"user_id", "note", "colour"} <= set(r.json["errors"]["json"])
    r = staff_client.post("/api/v1/assignment-rules", json={"user_id": staff_client.user.id})
    assert r.status_code == 422 and "chain_id" in r.json["errors"]["json"]
    assert staff_client.get("/api/v1/assignment-rules").json == []
