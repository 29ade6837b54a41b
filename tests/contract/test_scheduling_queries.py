"""Every scheduling query on both engines: follow-ups, reminders, escalation, events, tasks, inbox."""
from datetime import date, timedelta

import pytest

from crm.events import attribution, tasks
from crm.followups import escalation, followups
from crm.notify import inbox
from crm.ops import jobs
from crm.base.access import SYSTEM, Actor
from crm.pipeline.assignment import create_rule, list_rules
from crm.followups.completion import complete_followup
from crm.events.targets import add_targets, list_meetings, list_targets, record_meeting
from crm.events.events import EventQuery, list_events, update_event
from crm.reports.followup_counts import done_by_district, done_by_owner, returned_to_pool
from crm.notify.mail import send_pending
from tests.factories import NOW, make_event, make_followup, make_lead, make_reference, make_user

pytestmark = pytest.mark.own_followups  # counts only the follow-ups it schedules

EARLIER = NOW - timedelta(days=14)


def test_the_follow_up_lifecycle_and_its_reports(store):
    make_reference(store)
    owner = make_user(store, "li", "staff", email="li@example.gov.cn")
    make_user(store, "chen", "chain_leader", chains=["nev"])
    lead = make_lead(store, owner_id=owner.id, now=EARLIER)
    late = make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 10))
    today = make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 20))
    page = followups.list_followups(store, followups.FollowUpQuery(mine=True, overdue=True, sort="-due_at"),
                                    actor=owner.actor(), now=NOW)
    assert [f.id for f in page.items] == [late.id] and page.total == 1
    for role, scope in (("district_officer", {"districts": ("500157",)}), ("chain_leader", {"chains": ("nev",)})):
        reader = Actor(id="r", username="r", role=role, **scope)
        assert followups.list_followups(store, followups.FollowUpQuery(lead=lead.id), actor=reader, now=NOW).total == 2
    outsider = Actor(id="o", username="o", role="district_officer", districts=("500103",))
    assert followups.list_followups(store, followups.FollowUpQuery(), actor=outsider, now=NOW).total == 0
    assert jobs.scan_followups(store, now=NOW) == 2 and jobs.scan_followups(store, now=NOW) == 0
    assert jobs.escalate_overdue(store, now=NOW) == 1
    assert escalation.overdue_by_owner(store, now=NOW) == {owner.id: 1}
    assert escalation.overdue_by_district(store, now=NOW) == {"500157": 1}
    done = complete_followup(store, today.id, {"outcome": "ok"}, actor=owner.actor(), now=NOW, expected_version=1)
    assert done.next_id is None   # the late one is still open
    week = {"start": NOW - timedelta(days=4), "end": NOW + timedelta(days=3)}
    assert done_by_owner(store, **week) == {owner.id: 1} and done_by_district(store, **week, kinds=["call"]) == {
        "500157": 1}
    assert returned_to_pool(store, **week) == {}
    box = inbox.inbox(store, actor=owner.actor(), now=NOW)
    assert [f.id for f in box.overdue] == [late.id] and box.unread == 2
    assert inbox.mark_all_read(store, actor=owner.actor(), now=NOW) == 2
    assert send_pending(store, now=NOW, config=None) == 0


def test_events_targets_meetings_tasks_and_attribution(store):
    make_reference(store)
    owner = make_user(store, "li", "staff")
    create_rule(store, {"user_id": owner.id, "district_id": "500157"}, actor=SYSTEM, now=NOW)
    assert list_rules(store, actor=SYSTEM).total == 1
    event = make_event(store, actor=owner.actor())
    assert list_events(store, EventQuery(chain="nev", q="慕尼黑"), actor=SYSTEM).total == 1
    add_targets(store, event.id, {"targets": [{"company_id": "catl"}]}, actor=owner.actor(), now=NOW,
                expected_version=1)
    meeting = record_meeting(store, event.id, {"company_id": "catl", "link_id": "nev.cell", "district_id": "500157",
                                               "outcome": "签约意向"}, actor=owner.actor(), now=NOW)
    assert [t.status for t in list_targets(store, event.id, actor=SYSTEM)] == ["met"]
    assert [m.id for m in list_meetings(store, event.id, actor=SYSTEM, now=NOW)] == [meeting.id]
    page = tasks.list_tasks(store, tasks.TaskQuery(event=event.id, overdue=False, sort="-due_on"), actor=SYSTEM,
                            now=NOW)
    assert page.total == 6 and page.items[0].template_key == "create_leads"
    first = tasks.list_tasks(store, tasks.TaskQuery(mine=True, status=["open"]), actor=owner.actor(), now=NOW).items[0]
    done = tasks.complete_task(store, first.id, {"notes": "名单已定"}, actor=owner.actor(), now=NOW,
                               expected_version=1)
    assert done.status == "done"
    moved = update_event(store, event.id, {"start_on": date(2026, 12, 28), "end_on": date(2026, 12, 28)},
                         actor=owner.actor(), now=NOW, expected_version=2)
    assert moved.tasks_done == 1 and moved.tasks_open == 5
    [row] = attribution.event_attribution(store, start_from=date(2026, 12, 1))
    assert (row.meetings, row.leads_met, row.leads_sourced) == (1, 1, 1)
    assert jobs.return_stale_leads(store, now=NOW) == 0
