"""Follow-up counts for the weekly report: done per owner and district, leads returned per owner."""
from datetime import date, timedelta

from crm.pipeline import pool
from crm.followups.completion import complete_followup
from crm.reports.followup_counts import done_by_district, done_by_owner, returned_to_pool
from tests.factories import NOW, make_followup, make_lead, make_reference, make_user

WEEK_START = NOW - timedelta(days=4)


def test_it_counts_the_week_s_work_by_owner_district_and_kind(embedded_store):
    make_reference(embedded_store)
    li, wang = make_user(embedded_store, "li", "staff"), make_user(embedded_store, "wang", "staff")
    a = make_lead(embedded_store, owner_id=li.id, district_id="500157")
    b = make_lead(embedded_store, owner_id=wang.id, district_id="500103")
    for lead, who, kind, when in ((a, li, "visit", NOW), (a, li, "call", NOW - timedelta(days=1)),
                                  (b, wang, "call", NOW - timedelta(days=10))):
        item = make_followup(embedded_store, lead.id, actor=who.actor(), kind=kind, due_on=date(2026, 11, 2))
        complete_followup(embedded_store, item.id, {"outcome": "ok"}, actor=who.actor(), now=when,
                          expected_version=1)
    end = NOW + timedelta(days=3)
    assert done_by_owner(embedded_store, start=WEEK_START, end=end) == {li.id: 2}
    assert done_by_owner(embedded_store, start=WEEK_START, end=end, kinds=["visit"]) == {li.id: 1}
    assert done_by_district(embedded_store, start=NOW - timedelta(days=30), end=end) == {"500157": 2, "500103": 1}


def test_it_counts_leads_returned_to_the_pool_per_former_owner(embedded_store):
    make_reference(embedded_store)
    li = make_user(embedded_store, "li", "staff")
    for _ in range(2):
        make_lead(embedded_store, owner_id=li.id, now=NOW - timedelta(days=60))
    pool.return_stale_leads(embedded_store, now=NOW)
    assert returned_to_pool(embedded_store, start=WEEK_START, end=NOW + timedelta(days=1)) == {li.id: 2}
    assert returned_to_pool(embedded_store, start=NOW + timedelta(days=1), end=NOW + timedelta(days=8)) == {}
