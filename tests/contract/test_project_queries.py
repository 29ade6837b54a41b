"""Projects, inflows, incentives and KPI queries give the same answers on both engines."""
from datetime import date
from decimal import Decimal

from crm.base.access import SYSTEM, Actor
from crm.projects.inflows import InflowQuery, archive_inflow, inflows_of, list_inflows, rewards
from crm.reports.kpis import kpis_for, load_facts
from crm.projects.projects import ProjectQuery, list_projects, update_project
from tests.factories import NOW, make_inflow, make_project, make_reference, make_user

OFFICER = Actor(id="u1", username="officer", role="district_officer", districts=("500103",))
LEADER = Actor(id="u2", username="leader", role="chain_leader", chains=("nev",))


def names(store, actor=SYSTEM, **filters):
    return [p.name for p in list_projects(store, ProjectQuery(sort="name", **filters), actor=actor).items]


def test_project_lists_filter_search_sort_and_scope_alike(store):
    make_reference(store)
    owner = make_user(store, "owner", "staff")
    make_project(store, name="a 博世", owner_id=owner.id)
    make_project(store, name="b 宁德", company_id="catl", link_id="nev.cell", district_id="500103",
                 kind="capital_increase", manufacturing=False, high_tech=False, signed_on=date(2024, 7, 1))
    assert names(store) == ["a 博世", "b 宁德"]
    assert names(store, chain="nev") == names(store, district="500103") == names(store, kind="capital_increase") \
        == names(store, manufacturing=False) == names(store, signed_year=2024) == names(store, q="CATL") == ["b 宁德"]
    assert names(store, actor=OFFICER) == names(store, actor=LEADER) == ["b 宁德"]
    assert names(store, owner=owner.id) == ["a 博世"]
    page = list_projects(store, ProjectQuery(sort="-name", page=2, page_size=1), actor=SYSTEM)
    assert ([p.name for p in page.items], page.total) == (["a 博世"], 2)


def test_updates_inflows_rewards_and_kpis_agree(store):
    make_reference(store)
    project = make_project(store)
    make_inflow(store, project.id, received_on=date(2025, 3, 1), amount_usd=31_000_000)
    make_inflow(store, project.id, received_on=date(2025, 4, 1), amount_usd=9_000_000, kind="shareholder_loan")
    wrong = make_inflow(store, project.id, received_on=date(2026, 2, 1), amount_usd=5_000_000)
    make_inflow(store, project.id, received_on=date(2026, 3, 1), amount_usd=40_000_000)
    archive_inflow(store, project.id, wrong.id, actor=SYSTEM, now=NOW, expected_version=1)
    assert [f.amount_usd for f in inflows_of(store, project.id)] == [31_000_000, 9_000_000, 40_000_000]
    assert list_inflows(store, project.id, InflowQuery(year=2026, archived=True), actor=SYSTEM).total == 1
    biggest = list_inflows(store, project.id, InflowQuery(sort="-amount_usd", page_size=1), actor=SYSTEM)
    assert ([f.amount_usd for f in biggest.items], biggest.total) == ([40_000_000], 3)
    assert [(r.year, r.total_rmb) for r in rewards(store, project.id, actor=SYSTEM)] == [
        (2025, Decimal("1240000.00")), (2026, Decimal("1600000.00"))]
    assert len(load_facts(store, date(2025, 1, 1), date(2026, 12, 31))) == 3
    report = kpis_for(store, 2026, today=date(2026, 11, 20))
    assert (report.target.current.total_usd, report.target.previous.total_usd) == (40_000_000, 31_000_000)
    updated = update_project(store, project.id, {"industry_category": "real_estate"}, actor=SYSTEM, now=NOW,
                             expected_version=1)
    assert (updated.manufacturing, updated.version) == (False, 2)
    assert all(r.total_rmb == 0 for r in rewards(store, project.id, actor=SYSTEM))
