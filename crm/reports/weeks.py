"""Report weeks: ISO weeks (Monday to Sunday) on the bureau's clock, named like 2024-W10.

A week's instants are Chongqing midnights as aware UTC datetimes, because the store keeps naive
UTC and a follow-up done at 23:30 on Sunday in Chongqing belongs to that week, not the next.

>>> w = Week.parse("2024-W10")
>>> w.start, w.end, w.previous.id
(datetime.date(2024, 3, 4), datetime.date(2024, 3, 10), '2024-W09')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from crm.base.clock import local_today
from crm.errors import ValidationFailed
from crm.base.workdays import at_local

_ID = re.compile(r"^(\d{4})-W(\d{2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2999


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Week":
        """A week id such as 2024-W10; anything else (or week 53 of a 52-week year) is refused."""
        found = _ID.match((text or "").strip())
        if not found:
            raise ValidationFailed({"week": [f"{text!r} is not an ISO week such as 2024-W10"]})
        year, number = int(found.group(1)), int(found.group(2))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationFailed({"week": [f"the year must be from {FIRST_YEAR} to {LAST_YEAR}"]})
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValidationFailed({"week": [f"{year} has no week {number}"]}) from None
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> "Week":
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def last_completed(cls, now: datetime) -> "Week":
        """The latest week that has ended in Chongqing at `now` (on a Monday: the week before)."""
        return cls.containing(local_today(now)).previous

    @property
    def id(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def start_at(self) -> datetime:
        return at_local(self.start, 0)

    @property
    def end_at(self) -> datetime:
        """The first instant after the week: the next Monday's midnight in Chongqing."""
        return at_local(self.start + timedelta(days=7), 0)

    @property
    def previous(self) -> "Week":
        return Week.containing(self.start - timedelta(days=7))

    @property
    def next(self) -> "Week":
        return Week.containing(self.start + timedelta(days=7))

    def has_ended(self, now: datetime) -> bool:
        return self.end < local_today(now)

    def __str__(self) -> str:
        return self.id
