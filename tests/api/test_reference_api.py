"""The districts and chains API: reference data every role reads, with history and coverage counts."""
import json


def total(response) -> int:
    return json.loads(response.headers["X-Pagination"])["total"]


def ids(response) -> list[str]:
    return [x["id"] for x in response.json]


def test_it_lists_todays_districts_by_code(staff_client):
    r = staff_client.get("/api/v1/districts")
    assert r.status_code == 200 and ids(r) == ["500103", "500106", "500157"]
    assert all(d["current"] for d in r.json)


def test_it_lists_abolished_districts_with_their_successor_on_request(staff_client):
    r = staff_client.get("/api/v1/districts?all=true")
    assert ids(r) == ["500103", "500105", "500106", "500157"]
    jiangbei = r.json[1]
    assert jiangbei["current"] is False and jiangbei["valid_to"] == "2025-11-06"
    assert jiangbei["successor_id"] == "500157" and jiangbei["successor_name_zh"] == "两江新区"


def test_it_shows_any_district_by_code_with_its_history(staff_client):
    r = staff_client.get("/api/v1/districts/500157")
    assert r.status_code == 200
    assert r.json["predecessor_ids"] == ["500105"] and r.json["company_count"] == 1
    assert staff_client.get("/api/v1/districts/500105").json["successor_id"] == "500157"
    assert staff_client.get("/api/v1/districts/999999").status_code == 404


def test_it_searches_districts_in_chinese_and_english_and_pages(staff_client):
    assert ids(staff_client.get("/api/v1/districts?q=渝中")) == ["500103"]
    assert ids(staff_client.get("/api/v1/districts?q=SHAPINGBA")) == ["500106"]
    page = staff_client.get("/api/v1/districts?page_size=2&page=2")
    assert ids(page) == ["500157"] and total(page) == 3


def test_it_lists_chains_with_coverage_counts(staff_client):
    r = staff_client.get("/api/v1/chains")
    assert ids(r) == ["electronics", "nev"]
    electronics, nev = r.json
    assert (nev["link_count"], nev["covered_links"], nev["makers"], nev["local_makers"]) == (3, 1, 3, 1)
    assert (electronics["link_count"], electronics["covered_links"], electronics["makers"]) == (2, 0, 2)


def test_it_shows_a_chain_with_its_links_upstream_first_and_feeds(staff_client):
    r = staff_client.get("/api/v1/chains/nev")
    assert r.status_code == 200
    assert [link["id"] for link in r.json["links"]] == ["nev.separator", "nev.cell", "nev.vehicle"]
    assert r.json["links"][2]["local_makers"] == 1
    assert [(f["from_id"], f["to_id"]) for f in r.json["feeds"]] == [("nev.cell", "nev.vehicle"),
                                                                    ("nev.separator", "nev.cell")]
    assert staff_client.get("/api/v1/chains/ghost").status_code == 404


def test_it_searches_chains_in_chinese_and_english(staff_client):
    assert ids(staff_client.get("/api/v1/chains?q=电子")) == ["electronics"]
    assert ids(staff_client.get("/api/v1/chains?q=nev")) == ["nev"]
    page = staff_client.get("/api/v1/chains?page_size=1")
    assert ids(page) == ["electronics"] and total(page) == 2


def test_every_role_reads_reference_data(viewer_client, chain_leader_client, district_officer_client):
    for client in (viewer_client, chain_leader_client, district_officer_client):
        assert total(client.get("/api/v1/districts")) == 3
        assert total(client.get("/api/v1/chains")) == 2
        assert client.get("/api/v1/chains/electronics").status_code == 200


def test_it_needs_a_login(anonymous_client):
    assert anonymous_client.get("/api/v1/districts").status_code == 401
    assert anonymous_client.get("/api/v1/chains").status_code == 401


def test_reference_data_is_read_only(admin_client):
    assert admin_client.post("/api/v1/chains", json={"id": "x"}).status_code == 405
    assert admin_client.post("/api/v1/districts", json={"id": "x"}).status_code == 405


def test_a_bad_filter_is_a_422(staff_client):
    assert staff_client.get("/api/v1/districts?all=maybe").status_code == 422
    assert staff_client.get("/api/v1/chains?page_size=0").status_code == 422
