"""The admins' audit log query (crm/people/audit.py, audit_log) on both engines: filters by the
acting user, the record kind and Shanghai days (a day ends at 24:00 Chongqing, 16:00 UTC)."""
from datetime import date, datetime, timezone

import pytest

from crm.base.access import SYSTEM, Actor
from crm.errors import Forbidden, ValidationFailed
from crm.people.audit import LogQuery, audit_log
from tests.factories import make_company, make_reference, make_user

ADMIN = Actor(id="u-admin", username="root", role="admin")
LATE_ON_THE_20TH = datetime(2026, 11, 20, 15, 30, tzinfo=timezone.utc)  # 23:30 in Chongqing
EARLY_ON_THE_21ST = datetime(2026, 11, 20, 16, 30, tzinfo=timezone.utc)  # 00:30 next day in Chongqing


@pytest.fixture
def written(store):
    make_reference(store)
    make_company(store, now=LATE_ON_THE_20TH, name_zh="晚间企业")
    make_company(store, now=EARLY_ON_THE_21ST, actor=ADMIN, name_zh="凌晨企业")
    make_user(store, "clerk", "staff")
    return store


def kinds_and_actors(page):
    return [(e.record_label, e.actor) for e in page.items]


def test_days_are_shanghai_days(written):
    on_20th = audit_log(written, LogQuery(label="Company", since=date(2026, 11, 20), until=date(2026, 11, 20)),
                        actor=ADMIN)
    on_21st = audit_log(written, LogQuery(label="Company", since=date(2026, 11, 21)), actor=ADMIN)
    assert kinds_and_actors(on_20th) == [("Company", SYSTEM.username)]
    assert kinds_and_actors(on_21st) == [("Company", "root")]


def test_it_filters_by_user_and_kind_newest_first(written):
    assert kinds_and_actors(audit_log(written, LogQuery(user="root"), actor=ADMIN)) == [("Company", "root")]
    users = audit_log(written, LogQuery(label="User"), actor=ADMIN)
    assert users.total == 1 and users.items[0].record_label == "User"
    everything = audit_log(written, LogQuery(page_size=2), actor=ADMIN)
    assert everything.total == 3 and len(everything.items) == 2
    assert everything.items[0].at >= everything.items[1].at


def test_only_admins_read_it_and_bad_filters_are_refused(written):
    with pytest.raises(Forbidden):
        audit_log(written, LogQuery(), actor=Actor(id="u-s", username="s", role="staff"))
    with pytest.raises(ValidationFailed):
        audit_log(written, LogQuery(label="Spaceship"), actor=ADMIN)
    with pytest.raises(ValidationFailed):
        audit_log(written, LogQuery(since=date(2026, 11, 21), until=date(2026, 11, 20)), actor=ADMIN)
