"""Reminders and the inbox: owners see what is due today and overdue, and are told once."""
from datetime import date, timedelta

import pytest

from crm.followups import reminders
from crm.notify import inbox
from crm.ops.jobs import scan_followups
from tests.factories import NOW, make_event, make_followup, make_lead, make_reference, make_user

pytestmark = pytest.mark.own_followups  # counts only the follow-ups it schedules

EARLIER = NOW - timedelta(days=14)


@pytest.fixture
def world(embedded_store):
    make_reference(embedded_store)
    owner = make_user(embedded_store, "li", "staff")
    lead = make_lead(embedded_store, owner_id=owner.id, now=EARLIER)
    return embedded_store, owner, lead


def test_the_inbox_shows_what_is_due_today_and_overdue(world):
    store, owner, lead = world
    today = make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 20))
    late = make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 18))
    make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 23))
    box = inbox.inbox(store, actor=owner.actor(), now=NOW)
    assert [f.id for f in box.due_today] == [today.id]
    assert [f.id for f in box.overdue] == [late.id] and box.overdue[0].overdue


def test_the_scan_tells_each_owner_once_per_state(world):
    store, owner, lead = world
    make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 20))
    make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 18))
    assert scan_followups(store, now=NOW) == 2
    assert scan_followups(store, now=NOW + timedelta(minutes=5)) == 0
    kinds = sorted(n.kind for n in inbox.list_notifications(store, actor=owner.actor()).items)
    assert kinds == ["followup_due", "followup_overdue"]
    # the next day, today's follow-up has become overdue: one more notice, for it alone
    assert scan_followups(store, now=NOW + timedelta(days=1)) == 1


def test_tasks_due_today_reach_their_owner(world):
    store, owner, _ = world
    make_event(store, actor=owner.actor())        # its shortlist task is already due: today
    assert reminders.remind_tasks(store, now=NOW) == 1
    assert reminders.remind_tasks(store, now=NOW) == 0
    box = inbox.inbox(store, actor=owner.actor(), now=NOW)
    assert [t.template_key for t in box.tasks_due] == ["shortlist_targets"]
    assert box.unread == 1 and box.recent[0].kind == "task_due"


def test_marking_read_is_per_user(world):
    store, owner, lead = world
    other = make_user(store, "wang", "staff")
    make_followup(store, lead.id, actor=owner.actor(), now=EARLIER, due_on=date(2026, 11, 20))
    scan_followups(store, now=NOW)
    [note] = inbox.list_notifications(store, actor=owner.actor()).items
    with pytest.raises(Exception) as err:
        inbox.mark_read(store, note.id, actor=other.actor(), now=NOW)
    assert "not found" in str(err.value)
    assert inbox.mark_read(store, note.id, actor=owner.actor(), now=NOW).read
    assert inbox.mark_all_read(store, actor=owner.actor(), now=NOW) == 0
