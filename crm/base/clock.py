"""Time at the edges: rules take `now` as an argument; only entry points call `utcnow()`."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def local(moment: datetime) -> datetime:
    """The same instant on the bureau's wall clock (Asia/Shanghai)."""
    return moment.astimezone(SHANGHAI)


def local_today(moment: datetime) -> date:
    return local(moment).date()
