"""The data steward's list: facts of one kind, undated first and then the oldest, filtered to the unsourced,
undated or flagged (estimated, unknown country, unknown rank), paged, for staff and admins only. Both engines."""
from __future__ import annotations

from datetime import date

import pytest

from crm.base.access import Actor
from crm.errors import Forbidden, ValidationFailed
from crm.library.imports.run import import_companies
from crm.library.provenance import FactQuery, list_facts
from tests.factories.files import NOW, company, csv_file, load_reference

STAFF = Actor(id="u-staff", username="staff", role="staff")


@pytest.fixture
def db(store, tmp_path):
    """Four firms: two sourced and dated (2014, 2024), one undated with an estimate, one with no country and
    an unknown rank; all present in 沙坪坝区 and making battery cells."""
    load_reference(store, tmp_path)
    rows = [company(company_id="old", name_en="Old Firm", aliases="", source="Daily 2014-11-05",
                    source_date="2014-11-05", fg500_source="Fortune Global 500 2024 (fortune.com)"),
            company(company_id="new", name_en="New Firm", aliases="", fg500_rank="200",
                    source="Report 2024-03-01", source_date="2024-03-01"),
            company(company_id="guess", name_en="Guess Firm", aliases="", fg500_rank="",
                    fg500_year="", source="plant size estimated by the compiler"),
            company(company_id="nowhere", name_en="Nowhere Firm", aliases="", country="", fg500_rank="unknown",
                    fg500_year="", source="a list")]
    import_companies(store, csv_file(tmp_path, [r | {"present_in": "500106"} for r in rows], name="firms.csv"),
                     now=NOW)
    return store


def ids(page):
    return [f.company_id for f in page.items]


def test_facts_come_undated_first_then_oldest_with_their_sources_and_days(db):
    page = list_facts(db, FactQuery(kind="presence"), actor=STAFF)
    assert ids(page) == ["guess", "nowhere", "old", "new"]
    old = page.items[2]
    assert (old.target_id, old.sources, old.source_date) == ("500106", ["firms.csv: Daily 2014-11-05"],
                                                             date(2014, 11, 5))


@pytest.mark.parametrize("kind, flag, expected", [
    ("presence", "oldest", ["old", "new"]),
    ("makes", "undated", ["guess", "nowhere"]),
    ("makes", "estimated", ["guess"]),
    ("presence", "unknown_country", ["nowhere"]),
    ("rank", "all", ["nowhere", "new", "old"]),
    ("rank", "unsourced", ["new"]),
    ("rank", "unknown_rank", ["nowhere"]),
])
def test_each_filter_lists_the_facts_it_names(db, kind, flag, expected):
    page = list_facts(db, FactQuery(kind=kind, flag=flag), actor=STAFF)
    assert ids(page) == expected
    assert all(flag in f.flags for f in page.items) or flag in ("all", "oldest")


def test_a_presence_made_without_an_import_is_unsourced(db):
    db.write("MATCH (c:Company {id: 'new'}) MATCH (d:District {id: '500103'}) MERGE (c)-[:PRESENT_IN]->(d)")
    page = list_facts(db, FactQuery(kind="presence", flag="unsourced"), actor=STAFF)
    assert [(f.company_id, f.target_id, f.flags[:2]) for f in page.items] == [
        ("new", "500103", ["unsourced", "undated"])]


def test_the_list_is_paged_and_searched_by_company(db):
    second = list_facts(db, FactQuery(kind="presence", page=2, page_size=3), actor=STAFF)
    assert (second.total, ids(second)) == (4, ["new"])
    assert ids(list_facts(db, FactQuery(kind="makes", q="old fir"), actor=STAFF)) == ["old"]


@pytest.mark.parametrize("role", ["chain_leader", "district_officer", "viewer"])
def test_only_those_who_keep_the_library_may_review_it(db, role):
    with pytest.raises(Forbidden):
        list_facts(db, FactQuery(), actor=Actor(id="u", username="u", role=role))


@pytest.mark.parametrize("field, query", [("kind", FactQuery(kind="contacts")), ("flag", FactQuery(flag="stale"))])
def test_an_unknown_kind_or_flag_is_refused_by_name(db, field, query):
    with pytest.raises(ValidationFailed) as caught:
        list_facts(db, query, actor=STAFF)
    assert field in caught.value.errors
