"""Chinese working days: weekends and statutory holidays off, make-up days on, a fallback past the data."""
import logging
from datetime import date, datetime, timezone

import pytest

from crm.base import workdays
from crm.errors import ValidationFailed
from crm.base.workdays import (WorkCalendar, add_working_days, due_at, is_working_day, next_working_day, on_or_after,
                          roll_forward)

CAL = WorkCalendar()


def test_it_moves_a_saturday_to_monday():
    assert on_or_after(date(2026, 11, 21), CAL) == date(2026, 11, 23)
    assert next_working_day(date(2026, 11, 20), CAL) == date(2026, 11, 23)


@pytest.mark.parametrize("first_of_october, back_to_work", [
    (date(2024, 10, 1), date(2024, 10, 8)),
    (date(2025, 10, 1), date(2025, 10, 9)),   # National Day and Mid-Autumn together: eight days off
    (date(2026, 10, 1), date(2026, 10, 8)),
])
def test_it_moves_1_october_to_the_first_day_back(first_of_october, back_to_work):
    assert not is_working_day(first_of_october, CAL)
    assert on_or_after(first_of_october, CAL) == back_to_work


@pytest.mark.parametrize("make_up_day", [date(2024, 10, 12), date(2025, 9, 28), date(2025, 10, 11),
                                         date(2026, 9, 20), date(2026, 10, 10)])
def test_a_make_up_weekend_day_counts_as_working(make_up_day):
    assert make_up_day.weekday() >= 5
    assert is_working_day(make_up_day, CAL)
    assert on_or_after(make_up_day, CAL) == make_up_day


def test_it_counts_working_days_across_a_holiday_and_a_make_up_saturday():
    assert add_working_days(date(2024, 9, 30), 1, CAL) == date(2024, 10, 8)
    assert add_working_days(date(2024, 10, 11), 1, CAL) == date(2024, 10, 12)  # the make-up Saturday
    assert add_working_days(date(2026, 10, 12), -5, CAL) == date(2026, 9, 29)


def test_zero_days_rolls_a_day_off_forward():
    assert add_working_days(date(2026, 11, 22), 0, CAL) == date(2026, 11, 23)


def test_a_due_day_falls_due_at_nine_in_chongqing_stored_as_utc():
    assert due_at(date(2026, 11, 21), CAL) == datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)


def test_a_due_time_on_a_day_off_keeps_its_wall_clock_time():
    saturday_afternoon = datetime(2026, 11, 21, 7, 30, tzinfo=timezone.utc)  # 15:30 in Chongqing
    assert roll_forward(saturday_afternoon, CAL) == datetime(2026, 11, 23, 7, 30, tzinfo=timezone.utc)


def test_past_its_data_it_counts_monday_to_friday_and_says_so_once(monkeypatch, caplog):
    monkeypatch.setattr(workdays, "_warned", set())
    with caplog.at_level(logging.WARNING, logger="chainlead.workdays"):
        assert is_working_day(date(2031, 1, 3), CAL)          # a Friday
        assert not is_working_day(date(2031, 1, 4), CAL)      # a Saturday
        assert add_working_days(date(2031, 1, 3), 1, CAL) == date(2031, 1, 6)
    assert [r.message.count("2031") for r in caplog.records] == [1]


def test_the_policy_enters_a_year_the_library_lacks():
    policy = {"workdays": {"due_hour": 9, "extra_holidays": [date(2031, 1, 1), "2031-01-02"],
                           "extra_workdays": ["2031-01-04"]}}
    cal = WorkCalendar.from_policy(policy)
    assert not cal.is_working_day(date(2031, 1, 1)) and not cal.is_working_day(date(2031, 1, 2))
    assert cal.is_working_day(date(2031, 1, 4))
    assert on_or_after(date(2030, 12, 31), cal) == date(2030, 12, 31)
    assert next_working_day(date(2030, 12, 31), cal) == date(2031, 1, 3)


@pytest.mark.parametrize("section, message", [
    ({"due_hour": 25}, "due_hour"),
    ({"extra_holidays": ["31 Feb"]}, "extra_holidays"),
    ({"extra_holidays": ["2031-01-04"], "extra_workdays": ["2031-01-04"]}, "both"),
])
def test_a_bad_workdays_section_is_refused(section, message):
    with pytest.raises(ValidationFailed) as err:
        WorkCalendar.from_policy({"workdays": section})
    assert message in str(err.value)
