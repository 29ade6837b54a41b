"""The follow-ups API: schedule, list with filters, edit with ETags, complete into exactly one next."""
from tests.factories import make_lead


def schedule(client, lead_id, **overrides):
    return client.post("/api/v1/followups", json={"lead_id": lead_id, "kind": "video_link",
                                                  "due_on": "2026-11-21"} | overrides)


def test_it_schedules_on_the_next_working_day_at_nine(staff_client, store):
    lead = make_lead(store, owner_id=staff_client.user.id)
    r = schedule(staff_client, lead.id)
    assert r.status_code == 201, r.json
    assert r.json["due_at"] == "2026-11-23T01:00:00+00:00" and r.json["owner_id"] == staff_client.user.id
    assert r.headers["ETag"] == '"v1"' and r.headers["Location"].endswith(r.json["id"])


def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(staff_client, store):
    lead = make_lead(store)
    r = schedule(staff_client, lead.id, kind="telepathy", due_on="31 Nov", colour="red")
    assert r.status_code == 422
    assert {"kind", "due_on", "colour"} <= set(r.json["errors"]["json"])
    r = staff_client.post("/api/v1/followups", json={"kind": "call", "due_on": "2026-11-23"})
    assert r.status_code == 422 and "lead_id" in r.json["errors"]["json"]
    r = schedule(staff_client, "ghost")
    assert r.status_code == 422 and "no Lead with id 'ghost'" in r.json["errors"]["json"]["lead_id"][0]
    assert staff_client.get("/api/v1/followups").json == []


def test_completing_schedules_exactly_one_next_even_when_sent_twice(staff_client, store):
    lead = make_lead(store, owner_id=staff_client.user.id)
    [first] = staff_client.get(f"/api/v1/followups?lead={lead.id}&status=open").json  # the new lead's first
    url = f"/api/v1/followups/{first['id']}/complete"
    done = staff_client.post(url, json={"outcome": "高管表示年内决策"}, headers={"If-Match": '"v1"'})
    assert done.status_code == 200 and done.json["status"] == "done" and done.json["next_id"]
    again = staff_client.post(url, json={"outcome": "高管表示年内决策"}, headers={"If-Match": '"v1"'})
    assert again.status_code == 412
    fresh = staff_client.post(url, json={"outcome": "x"}, headers={"If-Match": done.headers["ETag"]})
    assert fresh.status_code == 409 and "already done" in fresh.json["message"]
    open_ones = staff_client.get(f"/api/v1/followups?lead={lead.id}&status=open").json
    assert [f["id"] for f in open_ones] == [done.json["next_id"]]
    assert open_ones[0]["due_at"] == "2026-12-04T01:00:00+00:00"   # identified, A: 10 working days


def test_completion_needs_if_match_and_an_outcome(staff_client, store):
    lead = make_lead(store)
    first = schedule(staff_client, lead.id).json
    url = f"/api/v1/followups/{first['id']}/complete"
    assert staff_client.post(url, json={"outcome": "ok"}).status_code == 428
    r = staff_client.post(url, json={}, headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "outcome" in r.json["errors"]["json"]


def test_a_stale_edit_gets_412_and_changes_nothing(staff_client, store):
    lead = make_lead(store)
    item = schedule(staff_client, lead.id).json
    url = f"/api/v1/followups/{item['id']}"
    moved = staff_client.patch(url, json={"due_on": "2026-10-01"}, headers={"If-Match": '"v1"'})
    assert moved.status_code == 200 and moved.json["due_at"] == "2026-10-08T01:00:00+00:00"
    stale = staff_client.patch(url, json={"notes": "x"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412 and staff_client.get(url).json["notes"] is None


def test_it_lists_with_filters_and_paging(staff_client, store):
    mine = make_lead(store, owner_id=staff_client.user.id)
    other = make_lead(store, company_id="bosch", link_id="electronics.chip")
    for day in ("2026-11-16", "2026-11-18", "2026-11-25"):
        assert schedule(staff_client, mine.id, due_on=day).status_code == 201
    schedule(staff_client, other.id, due_on="2026-11-19")
    r = staff_client.get("/api/v1/followups?overdue=true&page_size=2&page=1")
    assert r.status_code == 200 and len(r.json) == 2 and '"total": 3' in r.headers["X-Pagination"]
    assert all(f["overdue"] for f in r.json)
    assert len(staff_client.get(f"/api/v1/followups?lead={other.id}").json) == 1
    # a pool lead's goes to its scheduler; the owned lead also has the first follow-up it got (due 12-04)
    assert len(staff_client.get("/api/v1/followups?mine=true").json) == 5
    r = staff_client.get("/api/v1/followups?due_after=2026-11-20T00:00:00%2B08:00&sort=-due_at")
    assert [f["due_at"][:10] for f in r.json] == ["2026-12-04", "2026-11-25"]
    assert staff_client.get("/api/v1/followups?sort=colour").status_code == 422


def test_a_district_officer_works_only_in_their_district(district_officer_client, staff_client, store):
    mine = make_lead(store, district_id="500103")
    other = make_lead(store, district_id="500157")
    assert schedule(district_officer_client, mine.id).status_code == 201
    refused = schedule(district_officer_client, other.id)  # as unknown as a lead that does not exist
    assert refused.status_code == 422 and refused.json["errors"]["json"]["lead_id"] == [f"no Lead with id {other.id!r}"]
    theirs = schedule(staff_client, other.id).json
    ids = [f["lead_id"] for f in district_officer_client.get("/api/v1/followups").json]
    assert ids == [mine.id]
    assert district_officer_client.get(f"/api/v1/followups/{theirs['id']}").status_code == 404


def test_a_viewer_reads_but_does_not_write(viewer_client, staff_client, store):
    lead = make_lead(store)
    item = schedule(staff_client, lead.id).json
    assert viewer_client.get(f"/api/v1/followups/{item['id']}").status_code == 200
    assert schedule(viewer_client, lead.id).status_code == 403
    r = viewer_client.post(f"/api/v1/followups/{item['id']}/complete", json={"outcome": "x"},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 403


def test_it_needs_a_login(anonymous_client):
    assert anonymous_client.get("/api/v1/followups").status_code == 401


def test_scoped_readers_see_project_follow_ups_by_the_project_s_district_and_chain(
        district_officer_client, chain_leader_client, staff_client, store):
    from tests.factories import make_project

    here = make_project(store, district_id="500103", link_id="electronics.chip")
    there = make_project(store, district_id="500157", link_id="nev.cell", company_id="catl", name="宁德时代扩产")
    for project in (here, there):
        r = staff_client.post("/api/v1/followups", json={"project_id": project.id, "kind": "service_visit",
                                                         "due_on": "2026-11-24"})
        assert r.status_code == 201, r.json
    assert [f["project_id"] for f in district_officer_client.get("/api/v1/followups").json] == [here.id]
    assert [f["project_id"] for f in chain_leader_client.get("/api/v1/followups").json] == [here.id]
