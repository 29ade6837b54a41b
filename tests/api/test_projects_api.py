"""The projects API: enter directly, read with ETags, list and filter, edit and archive, incentives, roles."""
from datetime import date

from tests.factories import make_inflow, make_project

URL = "/api/v1/projects"


def create(client, **overrides):
    """POST a project; an override of None leaves that field out."""
    body = {"name": "恩捷隔膜增资", "company_id": "semcorp", "district_id": "500157", "link_id": "nev.separator",
            "kind": "capital_increase", "manufacturing": True, "signed_on": "2024-02-01",
            "contracted_fdi_usd": 40_000_000} | overrides
    return client.post(URL, json={k: v for k, v in body.items() if v is not None})


def test_it_enters_a_capital_increase_directly_with_an_etag(staff_client):
    r = create(staff_client)
    assert r.status_code == 201, r.json
    assert r.json["kind"] == "capital_increase" and r.json["company_name_zh"] == "恩捷股份"
    assert r.json["industry_category"] == "manufacturing" and r.json["chain_id"] == "nev"
    assert r.json["incentive_excluded"] is False
    assert r.headers["ETag"] == '"v1"' and r.headers["Location"].endswith(r.json["id"])
    got = staff_client.get(r.headers["Location"])
    assert got.status_code == 200 and got.headers["ETag"] == '"v1"' and got.json["signed_on"] == "2024-02-01"


def test_a_real_estate_project_is_flagged_and_not_manufacturing(staff_client):
    r = create(staff_client, manufacturing=None, industry_category="real_estate")
    assert r.status_code == 201 and r.json["manufacturing"] is False and r.json["incentive_excluded"] is True


def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(staff_client):
    r = create(staff_client, kind="merger", industry_category="casino", total_investment_usd=-1,
               contracted_fdi_usd=1.5, colour="red")
    assert r.status_code == 422
    assert {"kind", "industry_category", "total_investment_usd", "contracted_fdi_usd", "colour"} <= set(
        r.json["errors"]["json"])
    assert staff_client.get(URL).json == []


def test_it_refuses_a_flag_that_contradicts_the_category(staff_client):
    r = create(staff_client, manufacturing=True, industry_category="finance")
    assert r.status_code == 422 and "manufacturing" in r.json["errors"]["json"]
    assert staff_client.get(URL).json == []


def test_it_refuses_unknown_references_and_future_dates(staff_client):
    r = create(staff_client, company_id="ghost", signed_on="2026-11-21")
    assert r.status_code == 422
    assert "signed_on" in r.json["errors"]["json"]
    r = create(staff_client, company_id="ghost")
    assert r.status_code == 422 and "no Company with id 'ghost'" in r.json["errors"]["json"]["company_id"][0]


def test_it_needs_a_login(anonymous_client, store):
    project = make_project(store)
    for r in (anonymous_client.get(URL), anonymous_client.get(f"{URL}/{project.id}"), create(anonymous_client),
              anonymous_client.get(f"{URL}/{project.id}/incentives")):
        assert r.status_code == 401 and r.json["code"] == 401


def test_it_requires_if_match_to_edit(staff_client, store):
    project = make_project(store)
    assert staff_client.patch(f"{URL}/{project.id}", json={"name": "新名"}).status_code == 428


def test_a_stale_edit_gets_412_and_changes_nothing(staff_client, store):
    url = f"{URL}/{make_project(store).id}"
    first = staff_client.patch(url, json={"name": "第一次"}, headers={"If-Match": '"v1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"v2"'
    stale = staff_client.patch(url, json={"name": "第二次"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert staff_client.get(url).json["name"] == "第一次"


def test_an_edit_is_audited_with_before_and_after(staff_client, store):
    project = make_project(store)
    staff_client.patch(f"{URL}/{project.id}", json={"industry_category": "finance"}, headers={"If-Match": '"v1"'})
    rows = store.read("MATCH (a:AuditEntry) WHERE a.record_id = $id AND a.action = 'update' "
                      "RETURN a.actor AS actor, a.changes AS changes", {"id": project.id})
    assert rows[0]["actor"] == "staff"
    assert '"industry_category": ["manufacturing", "finance"]' in rows[0]["changes"]
    assert '"manufacturing": [true, false]' in rows[0]["changes"]


def test_it_archives_through_an_edit(staff_client, store):
    project = make_project(store)
    r = staff_client.patch(f"{URL}/{project.id}", json={"archived": True}, headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["archived"] is True
    assert staff_client.get(URL).json == []
    assert [p["id"] for p in staff_client.get(f"{URL}?archived=true").json] == [project.id]


def test_it_lists_with_filters_search_and_paging(staff_client, store):
    for i in range(5):
        make_project(store, name=f"博世项目 {i}", signed_on=date(2023 + i % 2, 6, 1))
    make_project(store, name="宁德时代电芯", company_id="catl", link_id="nev.cell", district_id="500103",
                 kind="capital_increase", manufacturing=False, high_tech=False, industry_category="other")
    r = staff_client.get(f"{URL}?page_size=2&page=2&sort=name")
    assert r.status_code == 200 and [p["name"] for p in r.json] == ["博世项目 2", "博世项目 3"]
    assert '"total": 6' in r.headers["X-Pagination"]
    assert len(staff_client.get(f"{URL}?signed_year=2024").json) == 2
    assert [p["name"] for p in staff_client.get(f"{URL}?q=catl").json] == ["宁德时代电芯"]
    for query in ("district=500103", "chain=nev", "company=catl", "kind=capital_increase", "manufacturing=false",
                  "high_tech=false", "industry_category=other"):
        assert [p["name"] for p in staff_client.get(f"{URL}?{query}").json] == ["宁德时代电芯"], query


def test_an_unknown_sort_key_or_category_is_a_422(staff_client):
    assert staff_client.get(f"{URL}?sort=colour").status_code == 422
    assert staff_client.get(f"{URL}?industry_category=casino").status_code == 422


def test_a_district_officer_sees_only_their_district_even_by_id(district_officer_client, store):
    mine = make_project(store, district_id="500103")
    other = make_project(store, district_id="500157")
    assert [p["id"] for p in district_officer_client.get(URL).json] == [mine.id]
    for path in ("", "/incentives", "/inflows"):
        assert district_officer_client.get(f"{URL}/{other.id}{path}").status_code == 404, path
    r = district_officer_client.patch(f"{URL}/{other.id}", json={"name": "x"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 404


def test_a_district_officer_writes_only_in_their_district(district_officer_client, store):
    assert create(district_officer_client, district_id="500103").status_code == 201
    assert create(district_officer_client, district_id="500157").status_code == 403
    mine = make_project(store, district_id="500103")
    r = district_officer_client.patch(f"{URL}/{mine.id}", json={"district_id": "500106"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 403
    assert district_officer_client.get(f"{URL}/{mine.id}").json["district_id"] == "500103"


def test_a_viewer_may_read_but_not_write(viewer_client, store):
    project = make_project(store)
    assert viewer_client.get(f"{URL}/{project.id}").status_code == 200
    assert create(viewer_client).status_code == 403
    assert viewer_client.patch(f"{URL}/{project.id}", json={"name": "x"}, headers={"If-Match": '"v1"'}).status_code == 403


def test_a_chain_leader_reads_projects_on_their_chain_only(chain_leader_client, store):
    chip = make_project(store)
    cells = make_project(store, company_id="catl", link_id="nev.cell")
    assert [p["id"] for p in chain_leader_client.get(URL).json] == [chip.id]
    assert chain_leader_client.get(f"{URL}/{cells.id}").status_code == 404
    r = chain_leader_client.patch(f"{URL}/{chip.id}", json={"name": "x"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 403


def test_it_shows_the_incentives_year_by_year_with_reasons(staff_client, store):
    project = make_project(store, signed_on=date(2022, 6, 1))
    make_inflow(store, project.id, received_on=date(2022, 8, 1), amount_usd=20_000_000)
    make_inflow(store, project.id, received_on=date(2023, 8, 1), amount_usd=31_000_000)
    make_inflow(store, project.id, received_on=date(2024, 8, 1), amount_usd=12_000_000)
    make_inflow(store, project.id, received_on=date(2024, 9, 1), amount_usd=50_000_000, kind="shareholder_loan")
    r = staff_client.get(f"{URL}/{project.id}/incentives")
    assert r.status_code == 200
    assert [(y["year"], y["tier"], y["total_rmb"]) for y in r.json] == [
        (2022, None, "0.00"), (2023, "manufacturing", "1240000.00"), (2024, "general", "240000.00")]
    assert r.json[2]["uncounted_usd"] == 50_000_000
    assert {x["code"] for x in r.json[0]["reasons"]} == {"before_first_year"}


def test_a_reward_already_paid_by_another_scheme_is_withheld_and_can_be_recorded_later(staff_client, store):
    project = make_project(store)
    make_inflow(store, project.id, received_on=date(2024, 8, 1), amount_usd=50_000_000)
    r = staff_client.patch(f"{URL}/{project.id}", json={"capital_support_elsewhere": "  两江新区外资奖励 "},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["capital_support_elsewhere"] == "两江新区外资奖励"
    year = staff_client.get(f"{URL}/{project.id}/incentives").json[0]
    assert (year["capital_reward_rmb"], year["withheld_rmb"]) == ("0.00", "2000000.00")
    assert "double_support" in {x["code"] for x in year["reasons"]}
    cleared = staff_client.patch(f"{URL}/{project.id}", json={"capital_support_elsewhere": ""},
                                 headers={"If-Match": '"v2"'})
    assert cleared.status_code == 200 and cleared.json["capital_support_elsewhere"] is None
    assert staff_client.get(f"{URL}/{project.id}/incentives").json[0]["capital_reward_rmb"] == "2000000.00"


def test_a_scheme_name_too_long_is_refused_and_nothing_changes(staff_client, store):
    project = make_project(store)
    r = staff_client.patch(f"{URL}/{project.id}", json={"rd_support_elsewhere": "x" * 201}, headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "rd_support_elsewhere" in r.json["errors"]["json"]
    assert staff_client.get(f"{URL}/{project.id}").json["rd_support_elsewhere"] is None


def test_a_page_number_beyond_any_list_is_a_422_not_a_crash(staff_client):
    assert staff_client.get(f"{URL}?page=18446744073709551616").status_code == 422


def test_a_page_past_the_end_is_empty(staff_client, store):
    make_project(store)
    r = staff_client.get(f"{URL}?page=20000")
    assert r.status_code == 200 and r.json == [] and '"total": 1' in r.headers["X-Pagination"]


def test_a_project_moves_through_its_stages_with_if_match_and_lands(staff_client, store):
    project = make_project(store, signed_on=date(2026, 1, 5))
    r = staff_client.post(f"{URL}/{project.id}/stage", json={"to": "registered", "on": "2026-03-19"},
                          headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.json
    assert (r.json["stage"], r.json["stage_on"], r.json["landed_on"]) == ("registered", "2026-03-19", "2026-03-19")
    assert r.headers["ETag"] == '"v2"'
    changes = staff_client.get(f"{URL}/{project.id}/gap-changes")
    assert changes.status_code == 200 and isinstance(changes.json, list)


def test_a_bad_stage_move_is_a_422_naming_the_field_and_changes_nothing(staff_client, store):
    project = make_project(store, signed_on=date(2026, 1, 5))
    for body, field in (({"to": "orbit", "on": "2026-03-19"}, "to"), ({"to": "registered"}, "on"),
                        ({"to": "registered", "on": "2025-12-01"}, "on"),
                        ({"to": "withdrawn", "on": "2026-03-19"}, "reason")):
        r = staff_client.post(f"{URL}/{project.id}/stage", json=body, headers={"If-Match": '"v1"'})
        assert r.status_code == 422 and field in r.json["errors"]["json"], (body, r.json)
    assert staff_client.get(f"{URL}/{project.id}").json["stage"] == "signed"
    stale = staff_client.post(f"{URL}/{project.id}/stage", json={"to": "registered", "on": "2026-03-19"},
                              headers={"If-Match": '"v9"'})
    assert stale.status_code == 412


def test_planned_dates_are_kept_checked_and_drive_the_stall_reasons(staff_client, store):
    p = make_project(store, signed_on=date(2025, 3, 3))
    url = f"/api/v1/projects/{p.id}"
    r = staff_client.patch(url, json={"registered_planned_on": "2025-02-01"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "before the signing" in str(r.json["errors"]["json"]["registered_planned_on"])
    r = staff_client.patch(url, json={"registered_planned_on": "2025-06-01", "started_planned_on": "2025-05-01"},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "started_planned_on" in r.json["errors"]["json"]
    assert staff_client.get(url).json["registered_planned_on"] is None
    r = staff_client.patch(url, json={"registered_planned_on": "2025-04-01", "started_planned_on": "2025-09-01"},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["started_planned_on"] == "2025-09-01"
    found = staff_client.get(f"{url}/stalls").json
    assert {(s["code"], s["stage"]) for s in found} >= {("slow_registration", "registered"),
                                                       ("behind_plan", "started")}
    assert all(s["zh"] and s["en"] and s["since"] for s in found)
