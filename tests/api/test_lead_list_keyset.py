"""The lead list API pages by cursor beside page numbers, and dumps what marshmallow would."""
import json

from crm.pipeline.leads import fetch_many
from tests.factories import make_lead
from web.schemas.fast import dump_many
from web.schemas.leads import LeadSchema


def open_leads(store, count):
    return [make_lead(store, expected_usd=(i % 3) * 1_000_000, priority="ABC"[i % 3]) for i in range(count)]


def test_a_page_gives_the_cursor_of_the_next_and_page_numbers_still_work(staff_client, store):
    open_leads(store, 5)
    first = staff_client.get("/api/v1/leads?sort=-expected_usd&page_size=2")
    assert first.status_code == 200 and len(first.json) == 2
    cursor = first.headers["X-Next-Cursor"]
    by_cursor = staff_client.get(f"/api/v1/leads?sort=-expected_usd&page_size=2&after={cursor}")
    by_number = staff_client.get("/api/v1/leads?sort=-expected_usd&page_size=2&page=2")
    assert by_cursor.status_code == by_number.status_code == 200
    assert [r["id"] for r in by_cursor.json] == [r["id"] for r in by_number.json]
    assert json.loads(by_number.headers["X-Pagination"])["total"] == 5
    last = staff_client.get("/api/v1/leads?sort=-expected_usd&page_size=2&page=3")
    assert len(last.json) == 1 and "X-Next-Cursor" not in last.headers


def test_the_spec_names_the_cursor_and_its_header(staff_client):
    operation = staff_client.get("/api/openapi.json").json["paths"]["/api/v1/leads"]["get"]
    assert "after" in {p["name"] for p in operation["parameters"]}
    assert "X-Next-Cursor" in operation["responses"]["200"]["headers"]


def test_a_bad_cursor_is_a_422_naming_the_field(staff_client, store):
    open_leads(store, 3)
    r = staff_client.get("/api/v1/leads?after=bogus")
    assert r.status_code == 422 and "is not a cursor" in r.json["errors"]["json"]["after"][0]
    cursor = staff_client.get("/api/v1/leads?sort=title&page_size=1").headers["X-Next-Cursor"]
    r = staff_client.get(f"/api/v1/leads?sort=-title&after={cursor}")
    assert r.status_code == 422 and "sort 'title'" in r.json["errors"]["json"]["after"][0]


def test_the_total_follows_a_lead_just_created(staff_client, store):
    open_leads(store, 2)
    assert json.loads(staff_client.get("/api/v1/leads").headers["X-Pagination"])["total"] == 2
    assert staff_client.post("/api/v1/leads", json={"company_id": "catl", "link_id": "nev.cell",
                                                    "district_id": "500157"}).status_code == 201
    assert json.loads(staff_client.get("/api/v1/leads").headers["X-Pagination"])["total"] == 3


def test_the_list_dumps_each_lead_as_marshmallow_does(store):
    made = open_leads(store, 2)
    store.write("MATCH (l:Lead {id: $id}) SET l.score = 7.5, l.score_factors = $f, l.last_followup_at = $t",
                {"id": made[0].id, "f": '{"gap": 3, "note": "合成"}', "t": made[0].created_at})
    found = fetch_many(store, [lead.id for lead in made])
    assert found[0].score_factors and found[0].last_followup_at
    assert dump_many(LeadSchema, found) == LeadSchema(many=True).dump(found)


def test_a_lead_read_by_id_is_what_marshmallow_would_say_with_its_etag(staff_client, store):
    from crm.pipeline.leads import fetch

    [lead] = open_leads(store, 1)
    got = staff_client.get(f"/api/v1/leads/{lead.id}")
    assert got.status_code == 200 and got.headers["ETag"] == f'"v{lead.version}"'
    assert got.json == json.loads(json.dumps(LeadSchema().dump(fetch(store, lead.id))))
