"""Lead lists page by (sort key, id): every order on both engines, stable while leads are added."""
from datetime import timedelta

import pytest

from crm.base.access import SYSTEM
from crm.errors import ValidationFailed
from crm.pipeline.leads import SORTS, LeadQuery, list_leads
from graph.cypher import upsert_nodes
from tests.factories import NOW, make_lead, make_reference

STAGES = ["identified", "contacted", "visited"]


def lead_rows(first: int, count: int) -> list[dict]:
    """Leads whose sort keys repeat (ties) and are sometimes unset (sorted as the largest)."""
    rows = []
    for i in range(first, first + count):
        rows.append({
            "id": f"lead-k{i:03d}", "title": f"title {i % 5}", "stage": STAGES[i % 3], "priority": "ABC"[i % 3],
            "expected_usd": None if i % 4 == 0 else (i % 6) * 1_000_000, "score": None if i % 5 == 0 else (i % 7) / 2,
            "source": "ranking", "created_at": NOW - timedelta(days=i % 6), "updated_at": NOW - timedelta(hours=i % 4),
            "stage_changed_at": NOW - timedelta(days=i % 3),
            "last_followup_at": None if i % 3 == 0 else NOW - timedelta(days=i % 5),
            "company_id": "catl", "link_id": "nev.cell", "chain_id": "nev", "district_id": "500157",
            "version": 1, "archived": False, "synthetic": True})
    return rows


@pytest.fixture
def leads_store(store):
    make_reference(store)
    upsert_nodes(store, "Lead", lead_rows(0, 23))
    return store


def walk(store, after=None, **query) -> list[str]:
    """Every page, each asked for with the cursor the one before gave."""
    seen = []
    while True:
        page = list_leads(store, LeadQuery(page_size=4, after=after, **query), actor=SYSTEM)
        seen += [lead.id for lead in page.items]
        after = page.next_after
        if after is None:
            return seen


def expected(rows: list[dict], key: str, desc: bool) -> list[str]:
    present = sorted((r for r in rows if r[key] is not None), key=lambda r: r["id"])
    present = sorted(present, key=lambda r: r[key], reverse=desc)  # stable: ties stay by id
    unset = sorted(r["id"] for r in rows if r[key] is None)
    return unset + [r["id"] for r in present] if desc else [r["id"] for r in present] + unset


@pytest.mark.parametrize("key", sorted(SORTS))
@pytest.mark.parametrize("desc", [False, True], ids=["ascending", "descending"])
def test_cursor_pages_follow_each_sort_with_ties_by_id_and_unset_keys_as_the_largest(leads_store, key, desc):
    sort = ("-" if desc else "") + key
    rows = lead_rows(0, 23)
    want = expected(rows, key, desc)
    assert walk(leads_store, sort=sort) == want
    by_number = [lead.id for n in range(1, 7)
                 for lead in list_leads(leads_store, LeadQuery(sort=sort, page=n, page_size=4), actor=SYSTEM).items]
    assert by_number == want


def test_leads_added_between_pages_neither_repeat_nor_hide_one(leads_store):
    first = list_leads(leads_store, LeadQuery(sort="expected_usd", page_size=5), actor=SYSTEM)
    level = first.items[-1].expected_usd
    assert level is not None
    # new leads sorting before the cursor, after it, and level with it (their ids sort after every other)
    upsert_nodes(leads_store, "Lead", [{**row, "expected_usd": usd} for row, usd in
                                       zip(lead_rows(100, 3), (0, 9_000_000, level))])
    rest = walk(leads_store, sort="expected_usd", after=first.next_after)
    seen = [lead.id for lead in first.items] + rest
    assert len(seen) == len(set(seen))
    assert {r["id"] for r in lead_rows(0, 23)} <= set(seen)
    assert "lead-k100" not in seen and {"lead-k101", "lead-k102"} <= set(rest)


def test_a_cursor_keeps_the_filters(leads_store):
    ids = walk(leads_store, sort="title", stage=["contacted"])
    assert ids == expected([r for r in lead_rows(0, 23) if r["stage"] == "contacted"], "title", False)


@pytest.mark.parametrize("cursor, reason", [
    ("not a cursor!", "is not a cursor"),
    ("WyJ0aXRsZSIsInQiLCJpZCJd", "was given for the sort 'title'"),  # ["title","t","id"]
    ("WyItZXhwZWN0ZWRfdXNkIiwiYSIsImlkIl0", "not a int64"),  # ["-expected_usd","a","id"]
    ("WyItZXhwZWN0ZWRfdXNkIiwxLDJd", "is not a cursor"),  # ["-expected_usd",1,2]
    ("WyItZXhwZWN0ZWRfdXNkIiw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OSwiaWQiXQ", "is not a cursor"),  # a key past 64 bits
    ("WyItZXhwZWN0ZWRfdXNkIiwxLCJcdWQ4MDAiXQ", "is not a cursor"),  # ["-expected_usd",1,"\ud800"]
])
def test_a_bad_cursor_is_refused_with_its_field_and_reason(leads_store, cursor, reason):
    with pytest.raises(ValidationFailed) as caught:
        list_leads(leads_store, LeadQuery(sort="-expected_usd", after=cursor), actor=SYSTEM)
    assert list(caught.value.errors) == ["after"] and reason in caught.value.errors["after"][0]


def test_the_total_counts_a_lead_written_a_moment_before(leads_store):
    query = LeadQuery(stage=["identified"], page_size=4)
    before = list_leads(leads_store, query, actor=SYSTEM).total
    assert list_leads(leads_store, query, actor=SYSTEM).total == before
    make_lead(leads_store)
    assert list_leads(leads_store, query, actor=SYSTEM).total == before + 1
    cursor = list_leads(leads_store, query, actor=SYSTEM).next_after
    assert list_leads(leads_store, LeadQuery(stage=["identified"], page_size=4, after=cursor),
                      actor=SYSTEM).total == before + 1
