"""Chinese working days in Asia/Shanghai: what "due in 7 working days" means to the bureau.

Weekends and statutory holidays are skipped and make-up working days (调休, e.g. Saturday
2024-10-12) count. The `chinesecalendar` package carries the State Council's annual notices up
to its last year; for later years the calendar falls back to Monday–Friday plus the
`extra_holidays` / `extra_workdays` the bureau enters in seeds/policy.yaml (`workdays:`), and
logs once per year that the notice is missing. The policy's dates override the package.

>>> from datetime import date
>>> cal = WorkCalendar()
>>> add_working_days(date(2024, 9, 30), 1, cal)   # National Day week; 10-08 is the first day back
datetime.date(2024, 10, 8)
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterable

import chinese_calendar

from crm.base.clock import SHANGHAI, local_today
from crm.errors import ValidationFailed
from crm.policy import load_policy, section

log = logging.getLogger("chainlead.workdays")
_warned: set[int] = set()
_warn_lock = threading.Lock()
MAX_SCAN = 400  # no real calendar has a year of days off in a row; stop a bad policy from looping


def _dates(values: Iterable[Any] | None, key: str) -> frozenset[date]:
    out = set()
    for value in values or ():
        if isinstance(value, datetime) or not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                raise ValidationFailed({f"workdays.{key}": [f"{value!r} is not a date (YYYY-MM-DD)"]}) from None
        out.add(value)
    return frozenset(out)


@dataclass(frozen=True)
class WorkCalendar:
    """The library's calendar with the policy's own holidays and make-up days laid over it."""
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    due_hour: int = 9

    @classmethod
    def from_policy(cls, policy: dict[str, Any] | None = None) -> "WorkCalendar":
        data = section("workdays", policy)
        hour = data.get("due_hour", 9)
        if not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour <= 23:
            raise ValidationFailed({"workdays.due_hour": ["must be an hour from 0 to 23"]})
        holidays = _dates(data.get("extra_holidays"), "extra_holidays")
        workdays = _dates(data.get("extra_workdays"), "extra_workdays")
        both = holidays & workdays
        if both:
            raise ValidationFailed({"workdays": [f"{min(both)} is listed both as a holiday and as a working day"]})
        return cls(holidays, workdays, hour)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            _warn_missing(day.year)
            return day.weekday() < 5


def _warn_missing(year: int) -> None:
    with _warn_lock:
        if year in _warned:
            return
        _warned.add(year)
    log.warning("no statutory holiday data for %s: counting Monday to Friday plus workdays.extra_holidays/"
                "extra_workdays in seeds/policy.yaml; enter that year's State Council notice there", year)


@lru_cache(maxsize=1)
def _default_calendar() -> WorkCalendar:
    return WorkCalendar.from_policy(load_policy())


def calendar(policy: dict[str, Any] | None = None) -> WorkCalendar:
    """The calendar of the given policy, or of seeds/policy.yaml (built once)."""
    return WorkCalendar.from_policy(policy) if policy is not None else _default_calendar()


def is_working_day(day: date, cal: WorkCalendar | None = None) -> bool:
    return (cal or calendar()).is_working_day(day)


def on_or_after(day: date, cal: WorkCalendar | None = None) -> date:
    """The day itself when it is a working day, else the next working day."""
    cal = cal or calendar()
    for _ in range(MAX_SCAN):
        if cal.is_working_day(day):
            return day
        day += timedelta(days=1)
    raise ValidationFailed({"workdays": [f"no working day within {MAX_SCAN} days of {day}"]})


def next_working_day(day: date, cal: WorkCalendar | None = None) -> date:
    """The first working day strictly after `day` (Friday → Monday, 30 September → 8 October)."""
    return on_or_after(day + timedelta(days=1), cal)


def add_working_days(day: date, n: int, cal: WorkCalendar | None = None) -> date:
    """Step n working days forward (n < 0: back); n = 0 rolls a day off forward to a working day."""
    cal = cal or calendar()
    if n == 0:
        return on_or_after(day, cal)
    step = timedelta(days=1 if n > 0 else -1)
    left, scanned = abs(n), 0
    while left:
        day += step
        scanned += 1
        if cal.is_working_day(day):
            left -= 1
            scanned = 0
        elif scanned > MAX_SCAN:
            raise ValidationFailed({"workdays": [f"no working day within {MAX_SCAN} days of {day}"]})
    return day


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Chongqing wall-clock time on `day`, as an aware UTC datetime (how the store keeps time)."""
    return datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(timezone.utc)


def due_at(day: date, cal: WorkCalendar | None = None, *, hour: int | None = None) -> datetime:
    """When something due on `day` falls due: the policy hour of that day, or of the next working day."""
    cal = cal or calendar()
    return at_local(on_or_after(day, cal), cal.due_hour if hour is None else hour)


def due_in(now: datetime, working_days: int, cal: WorkCalendar | None = None) -> datetime:
    """`working_days` working days after today (Chongqing), at the policy hour."""
    cal = cal or calendar()
    return due_at(add_working_days(local_today(now), working_days, cal), cal)


def roll_forward(moment: datetime, cal: WorkCalendar | None = None) -> datetime:
    """A due time on a day off moves to the next working day at the same wall-clock time."""
    cal = cal or calendar()
    local = moment.astimezone(SHANGHAI)
    day = on_or_after(local.date(), cal)
    if day == local.date():
        return moment.astimezone(timezone.utc)
    return datetime.combine(day, local.timetz().replace(tzinfo=None), SHANGHAI).astimezone(timezone.utc)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Start of today and of tomorrow in Chongqing, as aware UTC datetimes."""
    today = local_today(now)
    return at_local(today, 0), at_local(today + timedelta(days=1), 0)
