"""Completing a follow-up records its outcome and schedules exactly one next one, never two."""
import threading
from datetime import date, datetime, timezone

import pytest

from crm.followups import followups
from crm.base.access import SYSTEM
from crm.followups.completion import complete_followup
from crm.errors import DomainError, InvalidTransition, VersionConflict
from crm.pipeline.leads import fetch as fetch_lead
from crm.base.workdays import at_local
from tests.factories import NOW, make_followup, make_lead, make_reference, make_user

pytestmark = pytest.mark.own_followups  # counts only the follow-ups it schedules


@pytest.fixture
def world(embedded_store):
    make_reference(embedded_store)
    owner = make_user(embedded_store, "li", "staff")
    lead = make_lead(embedded_store, owner_id=owner.id, priority="A")
    return embedded_store, owner, lead


def open_followups(store, lead_id):
    page = followups.list_followups(store, followups.FollowUpQuery(lead=lead_id, status=["open"]),
                                    actor=SYSTEM, now=NOW)
    return page.items


def test_it_schedules_exactly_one_next_from_the_cadence(world):
    store, owner, lead = world
    first = make_followup(store, lead.id, actor=owner.actor())
    done = complete_followup(store, first.id, {"outcome": "约定下周视频会"}, actor=owner.actor(), now=NOW,
                             expected_version=1)
    assert done.status == "done" and done.outcome == "约定下周视频会" and done.done_at == NOW
    [nxt] = open_followups(store, lead.id)
    assert nxt.id == done.next_id and nxt.previous_id == first.id
    assert nxt.due_at == at_local(date(2026, 12, 4), 9)          # identified, A: 10 working days
    assert nxt.owner_id == owner.id and nxt.kind == "call"
    assert fetch_lead(store, lead.id).last_followup_at == NOW


def test_the_next_follow_up_does_not_inherit_the_last_one_s_subject(world):
    store, owner, lead = world
    first = make_followup(store, lead.id, actor=owner.actor(), title="首次联络")
    complete_followup(store, first.id, {"outcome": "已联络"}, actor=owner.actor(), now=NOW, expected_version=1)
    [nxt] = open_followups(store, lead.id)
    assert nxt.title == ""


def test_completing_twice_never_schedules_a_second_next(world):
    store, owner, lead = world
    first = make_followup(store, lead.id, actor=owner.actor())
    complete_followup(store, first.id, {"outcome": "ok"}, actor=owner.actor(), now=NOW, expected_version=1)
    with pytest.raises(VersionConflict):
        complete_followup(store, first.id, {"outcome": "ok"}, actor=owner.actor(), now=NOW, expected_version=1)
    with pytest.raises(InvalidTransition):
        complete_followup(store, first.id, {"outcome": "ok"}, actor=owner.actor(), now=NOW, expected_version=2)
    assert len(open_followups(store, lead.id)) == 1


def test_a_double_submission_at_the_same_moment_schedules_one(world):
    store, owner, lead = world
    first = make_followup(store, lead.id, actor=owner.actor())
    barrier, outcomes = threading.Barrier(4), []

    def submit():
        barrier.wait()
        try:
            complete_followup(store, first.id, {"outcome": "ok"}, actor=owner.actor(), now=NOW, expected_version=1)
            outcomes.append("done")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["VersionConflict"] * 3 + ["done"]
    assert len(open_followups(store, lead.id)) == 1


def test_a_lead_with_another_open_follow_up_gets_no_extra_one(world):
    store, owner, lead = world
    first = make_followup(store, lead.id, actor=owner.actor())
    make_followup(store, lead.id, actor=owner.actor(), due_on=date(2026, 11, 30), kind="visit")
    done = complete_followup(store, first.id, {"outcome": "ok"}, actor=owner.actor(), now=NOW, expected_version=1)
    assert done.next_id is None
    assert [f.kind for f in open_followups(store, lead.id)] == ["visit"]


def test_a_dropped_lead_needs_no_next_follow_up(world):
    from crm.pipeline.leads import move_lead

    store, owner, lead = world
    first = make_followup(store, lead.id, actor=owner.actor())
    move_lead(store, lead.id, "dropped", actor=owner.actor(), now=NOW, expected_version=None, reason="投资方向调整")
    done = complete_followup(store, first.id, {"outcome": "对方放弃"}, actor=owner.actor(), now=NOW, expected_version=1)
    assert done.next_id is None and open_followups(store, lead.id) == []


def test_a_saturday_due_day_moves_to_monday_and_1_october_to_the_eighth(world):
    store, owner, lead = world
    saturday = make_followup(store, lead.id, actor=owner.actor(), due_on=date(2026, 11, 21))
    national_day = make_followup(store, lead.id, actor=owner.actor(), due_on=date(2026, 10, 1))
    timed = make_followup(store, lead.id, actor=owner.actor(), due_on=None,
                          due_at=datetime(2026, 10, 10, 6, 0, tzinfo=timezone.utc))  # make-up Saturday 14:00
    assert saturday.due_at == at_local(date(2026, 11, 23), 9)
    assert national_day.due_at == at_local(date(2026, 10, 8), 9)
    assert timed.due_at == datetime(2026, 10, 10, 6, 0, tzinfo=timezone.utc)


def test_it_refuses_a_completion_without_an_outcome(world):
    store, owner, lead = world
    first = make_followup(store, lead.id, actor=owner.actor())
    with pytest.raises(DomainError) as err:
        complete_followup(store, first.id, {"outcome": "  "}, actor=owner.actor(), now=NOW, expected_version=1)
    assert "outcome" in str(err.value)


def test_a_signed_project_gets_its_next_service_visit(world):
    from tests.factories import make_project

    store, owner, _ = world
    project = make_project(store, owner_id=owner.id)
    visit = make_followup(store, None, project_id=project.id, kind="service_visit", actor=owner.actor())
    assert visit.project_id == project.id and visit.chain_id == "electronics"
    done = complete_followup(store, visit.id, {"outcome": "送政策：研发费用加计扣除"}, actor=owner.actor(), now=NOW,
                             expected_version=1)
    nxt = followups.fetch(store, done.next_id)
    assert nxt.kind == "service_visit" and nxt.project_id == project.id
    assert nxt.due_at == at_local(date(2026, 12, 18), 9)       # 任务 15: 20 working days
