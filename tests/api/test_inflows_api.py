"""The capital-inflows API: add, list, correct and archive (never delete), by role."""
from datetime import date

from tests.factories import make_inflow, make_project


def inflows_url(project_id: str) -> str:
    return f"/api/v1/projects/{project_id}/inflows"


def add(client, project_id, **overrides):
    body = {"received_on": "2024-05-10", "amount_usd": 12_000_000, "kind": "equity"} | overrides
    return client.post(inflows_url(project_id), json=body)


def test_it_adds_an_inflow_with_an_etag(staff_client, store):
    project = make_project(store)
    r = add(staff_client, project.id)
    assert r.status_code == 201, r.json
    assert (r.json["amount_usd"], r.json["kind"], r.json["received_on"]) == (12_000_000, "equity", "2024-05-10")
    assert r.headers["ETag"] == '"v1"'
    assert staff_client.get(r.headers["Location"]).json["id"] == r.json["id"]


def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(staff_client, store):
    project = make_project(store)
    r = add(staff_client, project.id, amount_usd=0, kind="gift", received_on="someday")
    assert r.status_code == 422
    assert {"amount_usd", "kind", "received_on"} <= set(r.json["errors"]["json"])
    assert add(staff_client, project.id, amount_usd=1_000_000.5).status_code == 422
    assert add(staff_client, project.id, amount_usd=-5).status_code == 422
    assert staff_client.get(inflows_url(project.id)).json == []


def test_it_refuses_a_date_after_today_in_chongqing(staff_client, store):
    project = make_project(store)
    tomorrow = add(staff_client, project.id, received_on="2026-11-21")
    assert tomorrow.status_code == 422 and "future" in tomorrow.json["errors"]["json"]["received_on"][0]
    assert add(staff_client, project.id, received_on="2026-11-20").status_code == 201


def test_it_lists_with_filters_and_paging(staff_client, store):
    project = make_project(store)
    for month in range(1, 6):
        make_inflow(store, project.id, received_on=date(2024, month, 1), amount_usd=month * 1_000_000)
    make_inflow(store, project.id, received_on=date(2023, 7, 1), kind="shareholder_loan")
    url = inflows_url(project.id)
    r = staff_client.get(f"{url}?year=2024&page_size=2&page=2")
    assert [x["received_on"] for x in r.json] == ["2024-03-01", "2024-04-01"]
    assert '"total": 5' in r.headers["X-Pagination"]
    assert [x["kind"] for x in staff_client.get(f"{url}?kind=shareholder_loan").json] == ["shareholder_loan"]
    assert staff_client.get(f"{url}?sort=-amount_usd&year=2024").json[0]["amount_usd"] == 5_000_000
    assert staff_client.get(f"{url}?page=20000").json == []


def test_a_mistaken_inflow_is_archived_and_stops_counting(staff_client, store):
    project = make_project(store)
    make_inflow(store, project.id, received_on=date(2024, 2, 1), amount_usd=8_000_000)
    wrong = make_inflow(store, project.id, received_on=date(2024, 3, 1), amount_usd=5_000_000)
    incentives = f"/api/v1/projects/{project.id}/incentives"
    assert staff_client.get(incentives).json[0]["capital_reward_rmb"] == "260000.00"
    r = staff_client.patch(f"{inflows_url(project.id)}/{wrong.id}", json={"archived": True},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["archived"] is True and r.headers["ETag"] == '"v2"'
    assert staff_client.get(incentives).json[0]["capital_reward_rmb"] == "0.00"
    assert wrong.id not in [x["id"] for x in staff_client.get(inflows_url(project.id)).json]
    assert [x["id"] for x in staff_client.get(f"{inflows_url(project.id)}?archived=true").json] == [wrong.id]


def test_it_corrects_an_inflow_with_if_match(staff_client, store):
    project = make_project(store)
    inflow = make_inflow(store, project.id)
    url = f"{inflows_url(project.id)}/{inflow.id}"
    assert staff_client.patch(url, json={"amount_usd": 11_000_000}).status_code == 428
    first = staff_client.patch(url, json={"amount_usd": 11_000_000}, headers={"If-Match": '"v1"'})
    assert first.status_code == 200 and first.json["amount_usd"] == 11_000_000
    stale = staff_client.patch(url, json={"amount_usd": 9_000_000}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert staff_client.get(url).json["amount_usd"] == 11_000_000
    bad = staff_client.patch(url, json={"received_on": "2027-01-01"}, headers={"If-Match": '"v2"'})
    assert bad.status_code == 422 and staff_client.get(url).json["version"] == 2


def test_an_inflow_belongs_to_its_own_project_only(staff_client, store):
    one, two = make_project(store), make_project(store)
    inflow = make_inflow(store, one.id)
    assert staff_client.get(f"{inflows_url(two.id)}/{inflow.id}").status_code == 404
    r = staff_client.patch(f"{inflows_url(two.id)}/{inflow.id}", json={"archived": True}, headers={"If-Match": '"v1"'})
    assert r.status_code == 404


def test_an_archived_project_takes_no_new_capital(staff_client, store):
    project = make_project(store)
    staff_client.patch(f"/api/v1/projects/{project.id}", json={"archived": True}, headers={"If-Match": '"v1"'})
    assert add(staff_client, project.id).status_code == 409


def test_it_needs_a_login(anonymous_client, store):
    project = make_project(store)
    assert anonymous_client.get(inflows_url(project.id)).status_code == 401
    assert add(anonymous_client, project.id).status_code == 401


def test_a_viewer_may_read_but_not_add(viewer_client, store):
    project = make_project(store)
    make_inflow(store, project.id)
    assert len(viewer_client.get(inflows_url(project.id)).json) == 1
    assert add(viewer_client, project.id).status_code == 403


def test_a_district_officer_records_capital_only_in_their_district(district_officer_client, store):
    mine = make_project(store, district_id="500103")
    other = make_project(store, district_id="500157")
    inflow = make_inflow(store, other.id)
    assert add(district_officer_client, mine.id).status_code == 201
    assert add(district_officer_client, other.id).status_code == 404
    r = district_officer_client.patch(f"{inflows_url(other.id)}/{inflow.id}", json={"archived": True},
                                      headers={"If-Match": '"v1"'})
    assert r.status_code == 404


def test_a_chain_leader_reads_capital_on_their_chain_but_does_not_record_it(chain_leader_client, store):
    project = make_project(store)
    make_inflow(store, project.id)
    assert len(chain_leader_client.get(inflows_url(project.id)).json) == 1
    assert add(chain_leader_client, project.id).status_code == 403


def test_capital_dated_before_the_signing_is_refused_and_nothing_is_written(staff_client, store):
    project = make_project(store, signed_on=date(2023, 3, 1))
    r = add(staff_client, project.id, received_on="2023-02-28")
    assert r.status_code == 422 and "before the project was signed (2023-03-01)" in str(r.json)
    assert staff_client.get(inflows_url(project.id)).json == []
    kept = add(staff_client, project.id, received_on="2023-03-01").json
    r = staff_client.patch(f"{inflows_url(project.id)}/{kept['id']}", json={"received_on": "2022-12-31"},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "received_on" in r.json["errors"]["json"]
    assert staff_client.get(f"{inflows_url(project.id)}/{kept['id']}").json["received_on"] == "2023-03-01"


def test_a_signing_cannot_move_after_capital_already_paid_in(staff_client, store):
    project = make_project(store, signed_on=date(2023, 3, 1))
    make_inflow(store, project.id, received_on=date(2023, 6, 1))
    r = staff_client.patch(f"/api/v1/projects/{project.id}", json={"signed_on": "2023-07-01"},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and "capital was paid in on 2023-06-01" in str(r.json)
    assert staff_client.get(f"/api/v1/projects/{project.id}").json["signed_on"] == "2023-03-01"
