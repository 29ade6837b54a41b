"""Follow-up cadence (任务 9, P2): working days to the next follow-up by stage and priority."""
from datetime import date, datetime, timezone

import pytest

from crm.followups.cadence import Cadence, next_due
from crm.errors import ValidationFailed
from crm.base.workdays import WorkCalendar, at_local
from tests.factories import NOW

pytestmark = pytest.mark.own_followups  # counts only the follow-ups it schedules

CAL = WorkCalendar()


def nine_on(day: date) -> datetime:
    return at_local(day, 9)


@pytest.mark.parametrize("stage, priority, due_day", [
    ("negotiating", "A", date(2026, 12, 1)),    # 7 working days after Friday 20 November
    ("negotiating", "B", date(2026, 12, 4)),    # 10
    ("negotiating", "C", date(2026, 12, 11)),   # 15
    ("visited", "A", date(2026, 12, 1)),
    ("contacted", "A", date(2026, 12, 4)),
    ("identified", "B", date(2026, 12, 11)),
    ("identified", "C", date(2026, 12, 18)),    # 20
])
def test_it_schedules_by_stage_and_priority_from_the_policy(stage, priority, due_day):
    assert next_due(NOW, stage=stage, priority=priority, cal=CAL) == nine_on(due_day)


def test_a_signed_project_gets_a_service_visit_every_twenty_working_days():
    assert next_due(NOW, project=True, cal=CAL) == nine_on(date(2026, 12, 18))


@pytest.mark.parametrize("stage", ["signed", "dropped"])
def test_a_closed_lead_needs_no_next_follow_up(stage):
    assert next_due(NOW, stage=stage, priority="A", cal=CAL) is None


def test_the_count_skips_national_day_and_counts_the_make_up_saturday():
    monday_before = datetime(2026, 9, 28, 2, 0, tzinfo=timezone.utc)
    # 29, 30 Sep, (1-7 Oct off), 8, 9, Sat 10 (make-up), 12, 13
    assert next_due(monday_before, stage="negotiating", priority="A", cal=CAL) == nine_on(date(2026, 10, 13))


def test_a_late_evening_completion_counts_from_the_chongqing_day():
    sunday_night_in_chongqing = datetime(2026, 11, 22, 16, 30, tzinfo=timezone.utc)  # Monday 00:30 there
    assert next_due(sunday_night_in_chongqing, stage="negotiating", priority="A", cal=CAL) == nine_on(date(2026, 12, 2))


def test_an_unknown_priority_takes_the_stage_s_longest_wait():
    cad = Cadence({"negotiating": {"A": 7, "C": 15}}, 20, {})
    assert cad.working_days(stage="negotiating", priority="Z") == 15


def test_a_bad_cadence_is_refused_with_its_path():
    with pytest.raises(ValidationFailed) as err:
        Cadence.from_policy({"cadence": {"lead": {"negotiating": {"A": 0}}, "project": 20}})
    assert "lead.negotiating.A" in str(err.value)
