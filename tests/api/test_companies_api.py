"""The companies API: the enterprise library, read by everyone, kept by staff, versioned and audited."""
import json

from graph.cypher import merge_rels
from tests.factories import make_company

NEW = {"name_zh": "意法半导体", "name_en": "STMicroelectronics N.V.", "aliases": ["ST"], "country": "CH",
       "multinational": True, "fg500_rank": 480, "link_ids": ["electronics.chip"], "district_ids": ["500103"]}


def total(response) -> int:
    return json.loads(response.headers["X-Pagination"])["total"]


def ids(response) -> list[str]:
    return [c["id"] for c in response.json]


def test_it_adds_a_company_with_its_links_and_presence(staff_client):
    r = staff_client.post("/api/v1/companies", json=NEW)
    assert r.status_code == 201, r.json
    assert r.headers["ETag"] == '"v1"' and r.headers["Location"].endswith(r.json["id"])
    assert [link["id"] for link in r.json["links"]] == ["electronics.chip"]
    assert r.json["presence"][0]["district_id"] == "500103" and r.json["local"] is True
    assert r.json["chain_ids"] == ["electronics"] and r.json["name_norm"]


def test_it_shows_suppliers_and_customers_in_both_directions(staff_client, store):
    merge_rels(store, "SUPPLIES", "Company", "Company",
               [{"src": "semcorp", "dst": "catl"}, {"src": "catl", "dst": "changan"}])
    r = staff_client.get("/api/v1/companies/catl")
    assert r.status_code == 200 and r.headers["ETag"] == '"v1"'
    assert [s["id"] for s in r.json["suppliers"]] == ["semcorp"]
    assert [(c["id"], c["local"]) for c in r.json["customers"]] == [("changan", True)]
    assert [link["id"] for link in r.json["links"]] == ["nev.cell"] and r.json["local"] is False


def test_it_searches_chinese_and_english_names_and_aliases(staff_client, store):
    made = make_company(store)
    assert ids(staff_client.get("/api/v1/companies?q=博世")) == ["bosch"]
    assert ids(staff_client.get("/api/v1/companies?q=ROBERT")) == ["bosch"]
    assert ids(staff_client.get("/api/v1/companies?q=意法")) == [made.id]
    assert ids(staff_client.get("/api/v1/companies?q=st")) == [made.id]


def test_it_filters_by_country_fg500_multinational_local_chain_and_link(staff_client, store):
    made = make_company(store)
    get = staff_client.get
    assert sorted(ids(get("/api/v1/companies?country=de"))) == ["bosch", "infineon"]
    assert sorted(ids(get("/api/v1/companies?fg500=true"))) == ["bosch", "catl"]
    assert ids(get("/api/v1/companies?multinational=true")) == [made.id]
    assert ids(get("/api/v1/companies?local=true")) == ["changan"]
    assert sorted(ids(get("/api/v1/companies?chain=electronics"))) == sorted(["bosch", "infineon", made.id])
    assert ids(get("/api/v1/companies?link=nev.cell")) == ["catl"]
    assert ids(get("/api/v1/companies?district=500157")) == ["changan"]


def test_it_sorts_and_pages(staff_client):
    first = staff_client.get("/api/v1/companies?sort=name_en&page_size=2")
    assert ids(first) == ["catl", "changan"] and total(first) == 5
    assert ids(staff_client.get("/api/v1/companies?sort=name_en&page_size=2&page=3")) == ["semcorp"]
    assert ids(staff_client.get("/api/v1/companies?sort=-name_en&page_size=1")) == ["semcorp"]


def test_an_unknown_sort_key_is_a_422(staff_client):
    r = staff_client.get("/api/v1/companies?sort=colour")
    assert r.status_code == 422 and "sort" in r.json["errors"]["json"]


def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(staff_client):
    r = staff_client.post("/api/v1/companies", json=NEW | {"country": "Germany", "fg500_rank": 0, "colour": "red"})
    assert r.status_code == 422
    assert {"country", "fg500_rank", "colour"} <= set(r.json["errors"]["json"])
    assert total(staff_client.get("/api/v1/companies")) == 5


def test_it_needs_a_name(staff_client):
    r = staff_client.post("/api/v1/companies", json={"country": "CN"})
    assert r.status_code == 422 and "name_zh" in r.json["errors"]["json"]
    assert total(staff_client.get("/api/v1/companies")) == 5


def test_it_refuses_links_and_districts_that_do_not_exist_or_were_abolished(staff_client):
    r = staff_client.post("/api/v1/companies", json=NEW | {"link_ids": ["ghost"], "district_ids": ["500105"]})
    assert r.status_code == 422
    assert "ghost" in r.json["errors"]["json"]["link_ids"][0]
    assert "500157" in r.json["errors"]["json"]["district_ids"][0]


def test_it_refuses_a_second_entry_for_the_same_firm(staff_client):
    assert staff_client.post("/api/v1/companies", json=NEW).status_code == 201
    r = staff_client.post("/api/v1/companies", json={"name_zh": "意法半导体有限公司", "country": "CH"})
    assert r.status_code == 409 and "意法半导体" in r.json["message"]


def test_it_keeps_the_normalised_name_in_step_with_the_names(staff_client, store):
    made = make_company(store, name_zh=None)
    assert made.name_norm == "stmicroelectronics"
    r = staff_client.patch(f"/api/v1/companies/{made.id}", json={"name_zh": "意法半导体（中国）投资有限公司"},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["name_norm"] == "意法半导体投资"


def test_it_requires_if_match_to_edit(staff_client):
    assert staff_client.patch("/api/v1/companies/bosch", json={"leading": True}).status_code == 428


def test_a_stale_edit_gets_412_and_changes_nothing(staff_client):
    first = staff_client.patch("/api/v1/companies/bosch", json={"industry": "Auto parts"}, headers={"If-Match": '"v1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"v2"'
    stale = staff_client.patch("/api/v1/companies/bosch", json={"industry": "Tools"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert staff_client.get("/api/v1/companies/bosch").json["industry"] == "Auto parts"


def test_it_replaces_the_links_a_company_makes_and_where_it_is_present(staff_client):
    r = staff_client.patch("/api/v1/companies/infineon", json={"link_ids": ["electronics.notebook"],
                                                               "district_ids": ["500106"], "parent_ids": []},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.json
    assert [link["id"] for link in r.json["links"]] == ["electronics.notebook"]
    assert r.json["local"] is True
    assert "infineon" not in ids(staff_client.get("/api/v1/companies?link=electronics.chip"))


def test_a_company_cannot_be_its_own_parent(staff_client):
    r = staff_client.patch("/api/v1/companies/bosch", json={"parent_ids": ["bosch"]}, headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "parent_ids" in r.json["errors"]["json"]


def test_archiving_takes_a_company_out_of_the_list(staff_client):
    r = staff_client.patch("/api/v1/companies/semcorp", json={"archived": True}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["archived"] is True
    assert "semcorp" not in ids(staff_client.get("/api/v1/companies"))
    assert ids(staff_client.get("/api/v1/companies?archived=true")) == ["semcorp"]


def test_an_unknown_company_is_a_404(staff_client):
    assert staff_client.get("/api/v1/companies/ghost").status_code == 404


def test_it_needs_a_login(anonymous_client):
    assert anonymous_client.get("/api/v1/companies").status_code == 401


def test_every_role_reads_the_library(viewer_client, chain_leader_client, district_officer_client):
    for client in (viewer_client, chain_leader_client, district_officer_client):
        assert total(client.get("/api/v1/companies")) == 5
        assert client.get("/api/v1/companies/catl").status_code == 200


def test_only_staff_and_admins_keep_the_library(admin_client, viewer_client, chain_leader_client,
                                                district_officer_client):
    for client in (viewer_client, chain_leader_client, district_officer_client):
        assert client.post("/api/v1/companies", json=NEW).status_code == 403
        assert client.patch("/api/v1/companies/bosch", json={"leading": True},
                            headers={"If-Match": '"v1"'}).status_code == 403
    assert admin_client.post("/api/v1/companies", json=NEW).status_code == 201


def test_a_presence_is_ended_with_a_reason_and_restored(staff_client, store):
    present = store.read("MATCH (c:Company)-[:PRESENT_IN]->(d:District) RETURN c.id AS c, d.id AS d LIMIT 1")[0]
    url = f"/api/v1/companies/{present['c']}/presence/{present['d']}"
    bad = staff_client.post(f"{url}/end", json={"until": "2024-01-01", "reason": "boredom"})
    assert bad.status_code == 422 and "reason" in bad.json["errors"]["json"]
    r = staff_client.post(f"{url}/end", json={"until": "2024-01-01", "reason": "shutdown"})
    assert r.status_code == 200 and r.json["district_id"] == present["d"]
    again = staff_client.post(f"{url}/end", json={"until": "2024-01-01", "reason": "shutdown"})
    assert again.status_code == 422 and again.json["errors"]["json"]["until"] == [
        "this presence already ended on 2024-01-01"]
    assert staff_client.post(f"{url}/restore").status_code == 204
    assert store.read("MATCH (:Company {id: $c})-[r:PRESENT_IN]->(:District {id: $d}) RETURN count(r) AS n",
                      present)[0]["n"] == 1


def test_a_viewer_may_not_end_a_presence(viewer_client, store):
    present = store.read("MATCH (c:Company)-[:PRESENT_IN]->(d:District) RETURN c.id AS c, d.id AS d LIMIT 1")[0]
    r = viewer_client.post(f"/api/v1/companies/{present['c']}/presence/{present['d']}/end",
                           json={"until": "2024-01-01", "reason": "exit"})
    assert r.status_code == 403


def test_the_gaps_as_of_a_day_and_a_future_day_refused(staff_client):
    assert staff_client.get("/api/v1/chains/nev/gaps?as_of=2024-03-10").status_code == 200
    future = staff_client.get("/api/v1/chains/nev/gaps?as_of=2099-01-01")
    assert future.status_code == 422 and "as_of" in future.json["errors"]["query"]
