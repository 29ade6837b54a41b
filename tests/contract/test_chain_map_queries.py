"""The cockpit's, the gap map's and the event page's queries on every engine (crm/reports/chain_figures.py,
crm/reports/geo.py, crm/events/summary.py): the same answers from LadybugDB and Neo4j."""
from datetime import date

import pytest

from crm.reports import chain_figures, geo
from crm.base.access import SYSTEM, Actor
from crm.events.summary import event_page
from tests.factories import NOW, make_event, make_inflow, make_lead, make_project, make_reference

TODAY = date(2026, 11, 20)
OFFICER = Actor(id="u-officer", username="officer", role="district_officer", districts=("500157",))


@pytest.fixture
def world(store):
    make_reference(store)
    make_lead(store)  # CATL, nev.cell, 两江新区
    make_lead(store, company_id="bosch", link_id="electronics.chip", district_id="500103")
    make_lead(store, company_id="semcorp", link_id="nev.separator", district_id="500106", priority="C")
    project = make_project(store)  # Bosch, electronics.chip, 两江新区, signed 2023
    make_inflow(store, project.id, received_on=date(2026, 5, 10), amount_usd=35_000_000)
    make_inflow(store, project.id, received_on=date(2025, 5, 10), amount_usd=5_000_000)
    make_project(store, name="宁德时代渝中电芯", company_id="catl", district_id="500103", link_id="nev.cell")
    return store


def test_chain_figures_group_leads_projects_and_paid_in_capital_by_chain(world):
    figures = chain_figures.chain_figures(world, actor=SYSTEM, today=TODAY)
    nev, electronics = figures["nev"], figures["electronics"]
    assert nev.leads_by_stage["identified"] == 2 and nev.open_leads == 2 and nev.signed_projects == 1
    assert (electronics.signed_projects, electronics.contracted_fdi_usd) == (1, 60_000_000)
    assert (electronics.paid_in_usd, electronics.paid_in_year_usd) == (40_000_000, 35_000_000)
    only = chain_figures.chain_figures(world, actor=OFFICER, today=TODAY, chain_id="electronics")
    assert only["electronics"].open_leads == 0 and only["electronics"].signed_projects == 1


def test_local_makers_of_a_link_with_their_districts(world):
    [changan] = chain_figures.local_makers(world, "nev.vehicle")
    assert (changan.company_id, changan.districts[0][0]) == ("changan", "500157")
    assert chain_figures.local_makers(world, "nev.cell") == []


def test_the_gap_map_counts_makers_leads_and_projects_per_district(world):
    data = geo.gap_map_data(world, actor=SYSTEM, today=TODAY, chain_id="nev")
    assert data.figures["500157"].local_makers == 1 and data.figures["500157"].open_total == 1
    assert data.figures["500103"].projects == 1 and data.figures["500106"].open_leads == {"identified": 1}
    assert [(m.company_id, m.district_id) for m in data.makers] == [("changan", "500157")]
    mine = geo.gap_map_data(world, actor=OFFICER, today=TODAY)
    assert {c for c, f in mine.figures.items() if f.open_total or f.projects} == {"500157"}
    assert geo.successors(world) == {"500105": "500157"}


def test_an_events_page_within_the_readers_scope(world):
    event = make_event(world)
    page = event_page(world, event.id, actor=SYSTEM, now=NOW)
    assert len(page.tasks) == 6 and page.targets == [] and page.figures.leads_sourced == 0
    assert event_page(world, event.id, actor=OFFICER, now=NOW).figures.contracted_fdi_usd is None
