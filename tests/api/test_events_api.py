"""The events API: create with checklist and targets, edit with ETags, targets, meetings, roles."""
from tests.factories import make_lead

BODY = {"name_zh": "德国新能源汽车产业链招商路演", "kind": "roadshow_abroad", "start_on": "2026-12-21",
        "end_on": "2026-12-23", "city_zh": "慕尼黑", "country": "DE", "chain_ids": ["nev"]}


def create(client, **overrides):
    return client.post("/api/v1/events", json=BODY | overrides)


def test_it_creates_an_event_with_its_checklist_and_targets(staff_client):
    r = create(staff_client, targets=[{"company_id": "bosch"}, {"company_id": "catl", "status": "confirmed"}])
    assert r.status_code == 201, r.json
    event = r.json
    assert event["tasks_open"] == 6 and event["targets"] == 2 and event["owner_id"] == staff_client.user.id
    assert r.headers["ETag"] == f'"v{event["version"]}"'
    tasks = staff_client.get(f"/api/v1/tasks?event={event['id']}").json
    assert [(t["template_key"], t["due_on"]) for t in tasks][:3] == [
        ("shortlist_targets", "2026-11-20"), ("send_invitations", "2026-11-23"), ("confirm_meetings", "2026-12-07")]
    targets = staff_client.get(f"/api/v1/events/{event['id']}/targets").json
    assert {t["company_id"]: t["status"] for t in targets} == {"bosch": "invited", "catl": "confirmed"}


def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(staff_client):
    r = create(staff_client, kind="picnic", end_on="2026-12-01", country="Germany", colour="red")
    assert r.status_code == 422
    assert {"kind", "country", "colour"} <= set(r.json["errors"]["json"])
    r = create(staff_client, end_on="2026-12-01")
    assert r.status_code == 422 and "end_on" in r.json["errors"]["json"]
    r = create(staff_client, chain_ids=["ghost"])
    assert r.status_code == 422 and "chain_ids" in r.json["errors"]["json"]
    assert staff_client.get("/api/v1/events").json == []
    assert staff_client.get("/api/v1/tasks").json == []


def test_dates_outside_the_calendar_are_refused_not_a_server_error(staff_client):
    """The fuzz (make fuzz) sent start_on 0001-01-01: counting the checklist's working days overflowed."""
    for dates in ({"start_on": "0001-01-01", "end_on": None}, {"start_on": "2026-12-21", "end_on": "9999-12-31"}):
        r = create(staff_client, **{k: v for k, v in dates.items() if v})
        assert r.status_code == 422, r.json
        assert "must be in the years 1900 to 2999" in str(r.json["errors"]["json"])
    event = create(staff_client).json
    r = staff_client.patch(f"/api/v1/events/{event['id']}", json={"start_on": "9999-12-30", "end_on": "9999-12-31"},
                           headers={"If-Match": f'"v{event["version"]}"'})
    assert r.status_code == 422 and set(r.json["errors"]["json"]) == {"start_on", "end_on"}


def test_editing_needs_the_current_etag(staff_client):
    event = create(staff_client).json
    url = f"/api/v1/events/{event['id']}"
    assert staff_client.patch(url, json={"city_en": "Munich"}).status_code == 428
    ok = staff_client.patch(url, json={"city_en": "Munich"}, headers={"If-Match": f'"v{event["version"]}"'})
    assert ok.status_code == 200 and ok.json["city_en"] == "Munich"
    stale = staff_client.patch(url, json={"city_en": "Berlin"}, headers={"If-Match": f'"v{event["version"]}"'})
    assert stale.status_code == 412 and staff_client.get(url).json["city_en"] == "Munich"


def test_an_event_s_name_or_last_day_cannot_be_cleared(staff_client):
    event = create(staff_client).json
    url = f"/api/v1/events/{event['id']}"
    for cleared in ({"name_zh": ""}, {"end_on": None}):
        r = staff_client.patch(url, json=cleared, headers={"If-Match": f'"v{event["version"]}"'})
        assert r.status_code == 422 and set(r.json["errors"]["json"]) == set(cleared)
    assert staff_client.get(url).json["name_zh"] == event["name_zh"]


def test_targets_change_with_the_event_s_etag(staff_client):
    event = create(staff_client).json
    url = f"/api/v1/events/{event['id']}/targets"
    r = staff_client.post(url, json={"targets": [{"company_id": "bosch"}]}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"v2"'
    r = staff_client.post(url, json={"targets": [{"company_id": "bosch", "status": "declined"}]},
                          headers={"If-Match": '"v2"'})
    assert r.status_code == 200 and r.json[0]["status"] == "declined"
    assert staff_client.post(url, json={"targets": [{"company_id": "bosch"}]},
                             headers={"If-Match": '"v1"'}).status_code == 412
    r = staff_client.post(url, json={"targets": [{"company_id": "ghost"}]}, headers={"If-Match": '"v3"'})
    assert r.status_code == 422
    r = staff_client.post(url, json={"targets": [{"company_id": "bosch", "status": "maybe"}]},
                          headers={"If-Match": '"v3"'})
    assert r.status_code == 422 and "targets" in r.json["errors"]["json"]


def test_a_meeting_opens_a_lead_sourced_at_the_event(staff_client):
    event = create(staff_client).json
    r = staff_client.post(f"/api/v1/events/{event['id']}/meetings", json={
        "company_id": "bosch", "link_id": "electronics.chip", "district_id": "500157", "outcome": "有意设立研发中心"})
    assert r.status_code == 201, r.json
    assert r.json["event_id"] == event["id"] and r.json["status"] == "done" and r.json["next_id"]
    lead = staff_client.get(f"/api/v1/leads/{r.json['lead_id']}").json
    assert lead["source"] == "roadshow" and lead["event_id"] == event["id"]
    assert [m["id"] for m in staff_client.get(f"/api/v1/events/{event['id']}/meetings").json] == [r.json["id"]]
    assert staff_client.get(f"/api/v1/leads?event={event['id']}").json[0]["id"] == lead["id"]


def test_a_meeting_needs_a_lead_or_a_firm_and_link(staff_client):
    event = create(staff_client).json
    r = staff_client.post(f"/api/v1/events/{event['id']}/meetings", json={"outcome": "x"})
    assert r.status_code == 422 and "lead_id" in r.json["errors"]["json"]


def test_every_role_reads_the_calendar_but_only_organisers_write(viewer_client, staff_client,
                                                                   chain_leader_client, store):
    event = create(staff_client).json
    assert viewer_client.get(f"/api/v1/events/{event['id']}").status_code == 200
    assert [e["id"] for e in chain_leader_client.get("/api/v1/events?chain=nev").json] == [event["id"]]
    assert create(viewer_client).status_code == 403
    assert chain_leader_client.patch(f"/api/v1/events/{event['id']}", json={"city_en": "x"},
                                     headers={"If-Match": '"v1"'}).status_code == 403
    lead = make_lead(store)
    r = viewer_client.post(f"/api/v1/events/{event['id']}/meetings", json={"lead_id": lead.id, "outcome": "x"})
    assert r.status_code == 403


def test_it_lists_with_filters_and_paging(staff_client):
    for day in ("2026-12-01", "2026-12-10", "2027-01-12"):
        create(staff_client, start_on=day, end_on=day)
    create(staff_client, kind="expo", start_on="2026-12-05", end_on="2026-12-05", chain_ids=["electronics"])
    r = staff_client.get("/api/v1/events?kind=roadshow_abroad&page_size=2&sort=-start_on")
    assert [e["start_on"] for e in r.json] == ["2027-01-12", "2026-12-10"] and '"total": 3' in r.headers["X-Pagination"]
    r = staff_client.get("/api/v1/events?start_from=2026-12-02&start_to=2026-12-31&chain=nev")
    assert [e["start_on"] for e in r.json] == ["2026-12-10"]


def test_shortlisting_a_chain_with_no_foreign_maker_says_so_and_adds_nothing(staff_client):
    event = create(staff_client).json  # NEV's makers in the reference world are all mainland firms
    url = f"/api/v1/events/{event['id']}/targets"
    r = staff_client.post(url, json={"top": 5}, headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "no foreign investor is ranked" in str(r.json["errors"]["json"]["top"])
    assert staff_client.get(url).json == []
