"""The tasks API: list an event's checklist, edit with ETags, complete once, roles."""


def make_event(client):
    r = client.post("/api/v1/events", json={"name_zh": "西洽会", "kind": "fair", "start_on": "2026-12-21"})
    assert r.status_code == 201
    return r.json


def test_it_lists_an_event_s_checklist_with_filters(staff_client):
    event = make_event(staff_client)
    r = staff_client.get(f"/api/v1/tasks?event={event['id']}&page_size=4")
    assert r.status_code == 200 and len(r.json) == 4 and '"total": 6' in r.headers["X-Pagination"]
    assert [t["due_on"] for t in staff_client.get("/api/v1/tasks?due_before=2026-11-24").json] == [
        "2026-11-20", "2026-11-23"]
    assert len(staff_client.get("/api/v1/tasks?mine=true&status=open").json) == 6
    assert staff_client.get("/api/v1/tasks?overdue=true").json == []


def test_it_completes_a_task_once(staff_client):
    task = staff_client.get("/api/v1/tasks", query_string={"event": make_event(staff_client)["id"]}).json[0]
    url = f"/api/v1/tasks/{task['id']}/complete"
    assert staff_client.post(url, json={}).status_code == 428
    done = staff_client.post(url, json={"notes": "名单已报链长"}, headers={"If-Match": '"v1"'})
    assert done.status_code == 200 and done.json["status"] == "done" and done.headers["ETag"] == '"v2"'
    assert staff_client.post(url, json={}, headers={"If-Match": '"v1"'}).status_code == 412
    assert staff_client.post(url, json={}, headers={"If-Match": '"v2"'}).status_code == 409


def test_it_reschedules_onto_a_working_day_and_reassigns(staff_client, admin_client):
    task = staff_client.get("/api/v1/tasks", query_string={"event": make_event(staff_client)["id"]}).json[1]
    url = f"/api/v1/tasks/{task['id']}"
    r = staff_client.patch(url, json={"due_on": "2026-11-28", "owner_id": admin_client.user.id},
                           headers={"If-Match": '"v1"'})
    assert r.status_code == 200 and r.json["due_on"] == "2026-11-30" and r.json["owner_id"] == admin_client.user.id
    r = staff_client.patch(url, json={"status": "done"}, headers={"If-Match": '"v2"'})
    assert r.status_code == 422 and "status" in r.json["errors"]["json"]
    r = staff_client.patch(url, json={"title": "", "colour": "red"}, headers={"If-Match": '"v2"'})
    assert r.status_code == 422 and {"title", "colour"} <= set(r.json["errors"]["json"])
    assert staff_client.get(url).json["version"] == 2


def test_a_viewer_reads_but_does_not_change_tasks(staff_client, viewer_client):
    task = staff_client.get("/api/v1/tasks", query_string={"event": make_event(staff_client)["id"]}).json[0]
    assert viewer_client.get(f"/api/v1/tasks/{task['id']}").status_code == 200
    r = viewer_client.post(f"/api/v1/tasks/{task['id']}/complete", json={}, headers={"If-Match": '"v1"'})
    assert r.status_code == 403
    assert viewer_client.get("/api/v1/tasks/ghost").status_code == 404
