"""Every notification, inbox row and e-mail link opens a real page: the lead, project or event with
the follow-up or task in view, for whoever may read it (issue 16, item 1), and a chain leader's home
shows their inbox, where escalations land (item 2)."""
from datetime import date, timedelta

from crm.followups.escalation import escalate_overdue
from crm.notify.inbox import list_notifications
from tests.factories import NOW, make_event, make_followup, make_lead, make_project


def opened(client, link: str):
    """Follow a link as the browser does; the final page and where it landed."""
    r = client.get(link, follow_redirects=True)
    return r.status_code, r.request.path, r.get_data(as_text=True)


def test_an_escalation_opens_the_lead_with_its_follow_up_in_view(chain_leader, store):
    lead = make_lead(store, company_id="infineon", link_id="electronics.chip")
    overdue = make_followup(store, lead.id, due_on=date(2026, 11, 2), title="催办电话")
    escalate_overdue(store, now=NOW)
    notice = list_notifications(store, actor=chain_leader.user.actor(), kind="escalation").items[0]
    assert notice.link == f"/followups/{overdue.id}"
    first = chain_leader.get(notice.link)
    assert first.status_code == 302 and first.location.endswith(f"/leads/{lead.id}#fu-{overdue.id}")
    status, path, page = opened(chain_leader, notice.link)
    assert (status, path) == (200, f"/leads/{lead.id}") and f'id="fu-{overdue.id}"' in page and "催办电话" in page


def test_the_chain_leader_s_home_shows_the_inbox_with_the_escalation_linked(chain_leader, store):
    lead = make_lead(store, company_id="infineon", link_id="electronics.chip")
    overdue = make_followup(store, lead.id, due_on=date(2026, 11, 2))
    escalate_overdue(store, now=NOW)
    home = chain_leader.get("/").get_data(as_text=True)
    assert 'id="inbox"' in home and f'href="/followups/{overdue.id}"' in home and "跟进逾期督办" in home


def test_a_project_s_follow_up_opens_the_project_page_with_it_listed(staff, store):
    project = make_project(store)
    call = make_followup(store, None, project_id=project.id, title="三送一访回访")
    status, path, page = opened(staff, f"/followups/{call.id}")
    assert (status, path) == (200, f"/projects/{project.id}") and f'id="fu-{call.id}"' in page and "三送一访回访" in page


def test_a_task_reminder_s_link_opens_its_event_s_checklist(staff, store):
    event = make_event(store, owner_id=staff.user.id)
    task_id = store.read("MATCH (t:Task)-[:FOR_EVENT]->(:Event {id: $id}) RETURN t.id AS id ORDER BY id LIMIT 1",
                         {"id": event.id})[0]["id"]
    status, path, page = opened(staff, f"/tasks/{task_id}")
    assert (status, path) == (200, f"/events/{event.id}") and f'id="task-{task_id}"' in page


def test_a_follow_up_out_of_the_reader_s_scope_is_not_found(district_officer, store):
    lead = make_lead(store, district_id="500103")
    call = make_followup(store, lead.id)
    assert district_officer.get(f"/followups/{call.id}").status_code == 404
    assert district_officer.get("/followups/fu-unknown").status_code == 404
    assert district_officer.get("/tasks/task-unknown").status_code == 404
