"""The tasks page: my open tasks with the overdue ones first, completed with a form."""
from datetime import date, datetime, timezone

import pytest

from crm.events import tasks
from crm.base.access import SYSTEM
from tests.factories import NOW, make_event
from tests.pages.conftest import form_post

ROLES = ["staff", "admin", "chain_leader", "district_officer", "viewer"]
EARLIER = datetime(2026, 10, 9, 2, 0, tzinfo=timezone.utc)


def html(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:800]
    return r.get_data(as_text=True)


@pytest.fixture
def expo(store, staff):
    """An expo of 16–18 November planned in early October: by NOW four of its tasks are overdue."""
    return make_event(store, now=EARLIER, owner_id=staff.user.id, name_zh="智博会对接活动", kind="expo",
                      start_on=date(2026, 11, 16), end_on=date(2026, 11, 18))


def open_tasks(store, event):
    return tasks.list_tasks(store, tasks.TaskQuery(event=event.id, status=["open"]), actor=SYSTEM, now=NOW).items


@pytest.mark.parametrize("role", ROLES)
def test_it_renders_for_every_role(request, role):
    client = request.getfixturevalue(role)
    assert "任务" in html(client, "/tasks")


def test_my_open_tasks_list_the_overdue_ones_first(staff, store, expo):
    page = html(staff, "/tasks")
    overdue = [t for t in open_tasks(store, expo) if t.overdue]
    later = [t for t in open_tasks(store, expo) if not t.overdue]
    assert len(overdue) == 4 and later
    assert page.count('<tr class="overdue" id="task-') == 4
    assert max(page.index(t.title) for t in overdue) < min(page.index(t.title) for t in later)


def test_a_task_is_completed_with_the_form(staff, store, expo):
    task = open_tasks(store, expo)[0]
    r = form_post(staff, f"/tasks/{task.id}/complete", {"version": str(task.version), "notes": "名单已报分管领导"})
    assert r.status_code == 302 and r.location == "/tasks"
    done = tasks.get_task(store, task.id, actor=SYSTEM, now=NOW)
    assert done.status == "done" and done.notes == "名单已报分管领导"
    page = html(staff, "/tasks")
    assert "任务已完成" in page and page.index("最近完成") < page.rindex(task.title)


def test_a_stale_form_completes_nothing(staff, store, expo):
    task = open_tasks(store, expo)[0]
    r = form_post(staff, f"/tasks/{task.id}/complete", {"version": str(task.version + 5)})
    assert r.status_code == 302
    assert tasks.get_task(store, task.id, actor=SYSTEM, now=NOW).status == "open"
    assert "flash error" in html(staff, "/tasks")


def test_others_tasks_only_when_asked_and_never_completed_by_a_viewer(staff, viewer, admin, store, expo):
    assert "智博会对接活动" not in html(admin, "/tasks")
    assert "智博会对接活动" in html(admin, "/tasks?who=all")
    page = html(viewer, "/tasks?who=all")
    assert "智博会对接活动" in page and 'action="/tasks/' not in page
    task = open_tasks(store, expo)[0]
    assert form_post(viewer, f"/tasks/{task.id}/complete", {"version": str(task.version)}).status_code == 403


def test_english_titles_come_from_the_checklist_template(staff, expo):
    staff.get("/lang/en?next=/tasks")
    page = html(staff, "/tasks")
    assert "Shortlist target companies" in page and "overdue" in page
