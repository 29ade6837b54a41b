"""New work gets its first follow-up (issue 16, item 5): a lead with an owner, a lead claimed from the pool
and a newly signed project each get one by policy's cadence, for the owner, on a working day; a pool lead
waits for its owner; the scan gives one to work that arrived another way."""
from crm.ops import jobs
from graph.cypher import merge_rels, upsert_nodes
from tests.factories import NOW


def open_followups(client, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return client.get(f"/api/v1/followups?status=open&{query}").json


def new_lead(client, **overrides):
    body = {"company_id": "bosch", "link_id": "electronics.chip", "district_id": "500157", "priority": "A"}
    return client.post("/api/v1/leads", json=body | overrides)


def test_a_new_lead_with_an_owner_gets_its_first_call_ten_working_days_out(staff_client, store):
    lead = new_lead(staff_client, owner_id=staff_client.user.id).json
    [first] = open_followups(staff_client, lead=lead["id"])
    assert first["kind"] == "call" and first["owner_id"] == staff_client.user.id
    assert first["due_at"] == "2026-12-04T01:00:00+00:00"  # 10 working days after Friday 2026-11-20, at 09:00


def test_a_pool_lead_waits_for_its_owner_and_gets_one_when_claimed(staff_client, store):
    lead = new_lead(staff_client).json
    assert lead["owner_id"] is None and open_followups(staff_client, lead=lead["id"]) == []
    r = staff_client.post(f"/api/v1/pool/{lead['id']}/claim", headers={"If-Match": f'"v{lead["version"]}"'})
    assert r.status_code == 200, r.json
    assert [f["owner_id"] for f in open_followups(staff_client, lead=lead["id"])] == [staff_client.user.id]


def test_a_newly_signed_project_gets_a_service_visit(staff_client, store):
    lead = new_lead(staff_client, owner_id=staff_client.user.id).json
    version = lead["version"]
    for stage in ("contacted", "visited", "negotiating"):
        version = staff_client.post(f"/api/v1/leads/{lead['id']}/stage", json={"to": stage},
                                    headers={"If-Match": f'"v{version}"'}).json["version"]
    signed = staff_client.post(f"/api/v1/leads/{lead['id']}/stage",
                               json={"to": "signed", "project": {"name": "博世二期", "signed_on": "2026-11-19"}},
                               headers={"If-Match": f'"v{version}"'})
    assert signed.status_code == 200, signed.json
    [visit] = open_followups(staff_client, project=signed.json["project_id"])
    assert visit["kind"] == "service_visit" and visit["owner_id"] == staff_client.user.id


def test_the_scan_gives_imported_work_its_first_follow_up_once(staff_client, store):
    upsert_nodes(store, "Lead", [{"id": "lead-imported", "stage": "identified", "priority": "B", "archived": False}])
    merge_rels(store, "OWNED_BY", "Lead", "User", [{"src": "lead-imported", "dst": staff_client.user.id}])
    jobs.scan_followups(store, now=NOW)
    jobs.scan_followups(store, now=NOW)
    assert store.read("MATCH (f:FollowUp)-[:ABOUT]->(:Lead {id: 'lead-imported'}) RETURN count(f) AS n")[0]["n"] == 1
