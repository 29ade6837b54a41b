"""The firm-issues API (任务 15): issues raised after signing, tracked open → resolved → closed."""
import json

import pytest

from tests.factories import make_issue, make_project


@pytest.fixture
def yuzhong(store):
    """A Bosch electronics project in 渝中区, the district officer's district."""
    return make_project(store, name="博世渝中研发中心", district_id="500103")


@pytest.fixture
def liangjiang(store):
    """A CATL battery project in 两江新区, on the NEV chain."""
    return make_project(store, name="宁德时代电池基地", company_id="catl", link_id="nev.cell", district_id="500157")


def total(response) -> int:
    return json.loads(response.headers["X-Pagination"])["total"]


def titles(response) -> list[str]:
    return sorted(i["title"] for i in response.json)


def move(client, issue_id, status, version):
    return client.patch(f"/api/v1/issues/{issue_id}", json={"status": status}, headers={"If-Match": f'"v{version}"'})


def test_it_logs_an_issue_as_open_raised_by_the_projects_investor(staff_client, yuzhong):
    r = staff_client.post("/api/v1/issues", json={"project_id": yuzhong.id, "category": "logistics",
                                                  "title": "口岸通关慢", "owner_id": staff_client.user.id})
    assert r.status_code == 201, r.json
    assert r.json["status"] == "open" and r.json["opened_on"] == "2026-11-20"
    assert r.json["company_id"] == "bosch" and r.json["district_id"] == "500103"
    assert r.json["owner_id"] == staff_client.user.id and r.headers["ETag"] == '"v1"'


def test_it_refuses_bad_input_with_field_messages_and_writes_nothing(staff_client, yuzhong):
    r = staff_client.post("/api/v1/issues", json={"project_id": yuzhong.id, "category": "weather", "title": "",
                                                  "opened_on": "2030-01-01"})
    assert r.status_code == 422 and {"category", "title"} <= set(r.json["errors"]["json"])
    r = staff_client.post("/api/v1/issues", json={"project_id": yuzhong.id, "category": "energy", "title": "限电",
                                                  "opened_on": "2030-01-01"})
    assert r.status_code == 422 and "opened_on" in r.json["errors"]["json"]
    r = staff_client.post("/api/v1/issues", json={"project_id": "proj-ghost", "category": "energy", "title": "限电"})
    assert r.status_code == 422 and "project_id" in r.json["errors"]["json"]
    assert staff_client.get("/api/v1/issues").json == []


def test_it_moves_one_step_at_a_time_and_may_reopen(staff_client, store, yuzhong):
    issue = make_issue(store, yuzhong.id)
    skip = move(staff_client, issue.id, "resolved", 1)
    assert skip.status_code == 409 and "in_progress" in skip.json["message"]
    assert move(staff_client, issue.id, "in_progress", 1).status_code == 200
    resolved = move(staff_client, issue.id, "resolved", 2)
    assert resolved.json["resolved_on"] == "2026-11-20"
    assert move(staff_client, issue.id, "closed", 3).json["status"] == "closed"
    reopened = move(staff_client, issue.id, "open", 4)
    assert reopened.status_code == 200 and reopened.json["resolved_on"] is None


def test_it_lists_with_filters_search_and_paging(staff_client, store, yuzhong, liangjiang):
    make_issue(store, yuzhong.id, title="夏季限电", category="energy")
    make_issue(store, yuzhong.id, title="Work permits for engineers", category="permits")
    make_issue(store, liangjiang.id, title="招工难", category="labour", owner_id=staff_client.user.id)
    get = staff_client.get
    assert titles(get("/api/v1/issues?category=energy&category=labour")) == ["夏季限电", "招工难"]
    assert titles(get("/api/v1/issues?district=500157")) == ["招工难"]
    assert titles(get(f"/api/v1/issues?project={yuzhong.id}")) == ["Work permits for engineers", "夏季限电"]
    assert titles(get(f"/api/v1/issues?owner={staff_client.user.id}")) == ["招工难"]
    assert titles(get("/api/v1/issues?status=open&company=catl")) == ["招工难"]
    assert titles(get("/api/v1/issues?q=限电")) == ["夏季限电"]
    assert titles(get("/api/v1/issues?q=PERMITS")) == ["Work permits for engineers"]
    assert titles(get("/api/v1/issues?q=宁德")) == ["招工难"]
    page = get("/api/v1/issues?sort=title&page_size=2&page=2")
    assert [i["title"] for i in page.json] == ["招工难"] and total(page) == 3
    assert get("/api/v1/issues?status=lost").status_code == 422


def test_it_requires_if_match_to_edit(staff_client, store, yuzhong):
    issue = make_issue(store, yuzhong.id)
    assert staff_client.patch(f"/api/v1/issues/{issue.id}", json={"title": "x"}).status_code == 428


def test_a_stale_edit_gets_412_and_changes_nothing(staff_client, store, yuzhong):
    issue = make_issue(store, yuzhong.id)
    url = f"/api/v1/issues/{issue.id}"
    assert staff_client.patch(url, json={"title": "停电两天"}, headers={"If-Match": '"v1"'}).status_code == 200
    assert staff_client.patch(url, json={"title": "停电三天"}, headers={"If-Match": '"v1"'}).status_code == 412
    assert staff_client.get(url).json["title"] == "停电两天"


def test_a_bad_edit_is_a_422_and_changes_nothing(staff_client, store, yuzhong):
    issue = make_issue(store, yuzhong.id)
    url = f"/api/v1/issues/{issue.id}"
    r = staff_client.patch(url, json={"category": "weather", "project_id": "x"}, headers={"If-Match": '"v1"'})
    assert r.status_code == 422 and {"category", "project_id"} <= set(r.json["errors"]["json"])
    assert staff_client.get(url).headers["ETag"] == '"v1"'


def test_it_needs_a_login(anonymous_client):
    assert anonymous_client.get("/api/v1/issues").status_code == 401


def test_a_district_officer_sees_and_handles_only_their_districts_issues(district_officer_client, store, yuzhong,
                                                                        liangjiang):
    mine = make_issue(store, yuzhong.id, title="渝中问题")
    other = make_issue(store, liangjiang.id, title="两江问题")
    client = district_officer_client
    assert titles(client.get("/api/v1/issues")) == ["渝中问题"]
    assert client.get(f"/api/v1/issues/{other.id}").status_code == 404
    assert move(client, other.id, "in_progress", 1).status_code == 404
    assert move(client, mine.id, "in_progress", 1).status_code == 200
    created = client.post("/api/v1/issues", json={"project_id": yuzhong.id, "category": "complaint", "title": "投诉"})
    assert created.status_code == 201
    refused = client.post("/api/v1/issues", json={"project_id": liangjiang.id, "category": "complaint", "title": "x"})
    assert refused.status_code == 422 and "project_id" in refused.json["errors"]["json"]


def test_a_chain_leader_reads_their_chains_issues_and_may_only_reassign(chain_leader_client, staff_client, store,
                                                                       yuzhong, liangjiang):
    electronics = make_issue(store, yuzhong.id, title="电子链问题")
    nev = make_issue(store, liangjiang.id, title="汽车链问题")
    client = chain_leader_client
    assert titles(client.get("/api/v1/issues")) == ["电子链问题"]
    assert client.get(f"/api/v1/issues/{nev.id}").status_code == 404
    assert move(client, electronics.id, "in_progress", 1).status_code == 403
    r = client.patch(f"/api/v1/issues/{electronics.id}", json={"owner_id": staff_client.user.id},
                     headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["owner_id"] == staff_client.user.id
    assert client.post("/api/v1/issues", json={"project_id": yuzhong.id, "category": "energy",
                                               "title": "x"}).status_code == 403


def test_a_viewer_reads_but_does_not_write(viewer_client, store, yuzhong):
    issue = make_issue(store, yuzhong.id)
    assert viewer_client.get(f"/api/v1/issues/{issue.id}").status_code == 200
    assert viewer_client.post("/api/v1/issues", json={"project_id": yuzhong.id, "category": "energy",
                                                      "title": "x"}).status_code == 403
    assert move(viewer_client, issue.id, "in_progress", 1).status_code == 403
