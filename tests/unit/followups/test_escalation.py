"""Escalation (四（一） 督查, 链长制): overdue past the policy is flagged to the chain leader, once;
overdue counts by owner and by district for the report."""
from datetime import date, timedelta

import pytest

from crm.followups.escalation import escalate_overdue, escalation_cutoff, overdue_by_district, overdue_by_owner
from crm.followups.followups import fetch
from crm.notify.inbox import list_notifications
from crm.base.workdays import at_local
from tests.factories import NOW, make_followup, make_lead, make_reference, make_user

pytestmark = pytest.mark.own_followups  # counts only the follow-ups it schedules

WEEKS_AGO = NOW - timedelta(days=21)


@pytest.fixture
def world(embedded_store):
    make_reference(embedded_store)
    owner = make_user(embedded_store, "li", "staff")
    nev_leader = make_user(embedded_store, "chen", "chain_leader", chains=["nev"])
    chip_leader = make_user(embedded_store, "sun", "chain_leader", chains=["electronics"])
    return embedded_store, owner, nev_leader, chip_leader


def test_the_cutoff_is_three_working_days_before_today():
    assert escalation_cutoff(NOW) == at_local(date(2026, 11, 17), 0)   # Fri 20 → Tue 17, midnight Chongqing


def test_it_flags_an_old_overdue_follow_up_to_its_chain_leader_once(world):
    store, owner, nev_leader, chip_leader = world
    lead = make_lead(store, owner_id=owner.id, now=WEEKS_AGO)
    late = make_followup(store, lead.id, actor=owner.actor(), now=WEEKS_AGO, due_on=date(2026, 11, 16))
    recent = make_followup(store, lead.id, actor=owner.actor(), now=WEEKS_AGO, due_on=date(2026, 11, 17))
    assert escalate_overdue(store, now=NOW) == 1
    assert escalate_overdue(store, now=NOW + timedelta(hours=2)) == 0
    assert fetch(store, late.id).escalated_at == NOW and fetch(store, late.id).version == 2
    assert fetch(store, recent.id).escalated_at is None
    [note] = list_notifications(store, actor=nev_leader.actor()).items
    assert note.kind == "escalation" and note.record_id == late.id and "li" in note.body
    assert list_notifications(store, actor=chip_leader.actor()).total == 0


def test_rescheduling_clears_the_flag_so_a_new_lapse_escalates_again(world):
    from crm.followups.followups import update_followup

    store, owner, nev_leader, _ = world
    lead = make_lead(store, owner_id=owner.id, now=WEEKS_AGO)
    late = make_followup(store, lead.id, actor=owner.actor(), now=WEEKS_AGO, due_on=date(2026, 11, 2))
    escalate_overdue(store, now=NOW)
    moved = update_followup(store, late.id, {"due_on": date(2026, 11, 24)}, actor=owner.actor(), now=NOW,
                            expected_version=2)
    assert moved.escalated_at is None
    assert escalate_overdue(store, now=NOW + timedelta(days=14)) == 1
    assert list_notifications(store, actor=nev_leader.actor()).total == 2  # one per lapse


def test_overdue_counts_by_owner_and_by_district(world):
    store, owner, _, _ = world
    other = make_user(store, "wang", "staff")
    a = make_lead(store, owner_id=owner.id, district_id="500157", now=WEEKS_AGO)
    b = make_lead(store, owner_id=other.id, district_id="500103", now=WEEKS_AGO)
    for lead, who, day in ((a, owner, date(2026, 11, 19)), (a, owner, date(2026, 11, 10)),
                           (b, other, date(2026, 11, 18)), (b, other, date(2026, 11, 20))):
        make_followup(store, lead.id, actor=who.actor(), now=WEEKS_AGO, due_on=day)
    assert overdue_by_owner(store, now=NOW) == {owner.id: 2, other.id: 1}   # due today is not overdue
    assert overdue_by_district(store, now=NOW) == {"500157": 2, "500103": 1}
