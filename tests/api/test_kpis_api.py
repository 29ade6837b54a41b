"""The KPI API: FDI under each measure against the same period a year before, and the targets checked."""
from datetime import date

from crm.base.access import SYSTEM
from crm.projects.inflows import archive_inflow
from crm.projects.projects import update_project
from tests.factories import NOW, make_inflow, make_project


def test_the_kpis_keep_both_measures_apart_and_skip_archived_capital(viewer_client, store):
    factory = make_project(store)
    service = make_project(store, company_id="catl", link_id="nev.cell", manufacturing=False, high_tech=False)
    make_inflow(store, factory.id, received_on=date(2024, 3, 1), amount_usd=40_000_000)
    make_inflow(store, service.id, received_on=date(2024, 4, 1), amount_usd=60_000_000, kind="reinvested_profit")
    make_inflow(store, service.id, received_on=date(2024, 5, 1), amount_usd=30_000_000, kind="shareholder_loan")
    make_inflow(store, factory.id, received_on=date(2025, 3, 1), amount_usd=115_000_000)
    gone = make_project(store)
    make_inflow(store, gone.id, received_on=date(2025, 3, 1), amount_usd=1_000_000)
    update_project(store, gone.id, {"archived": True}, actor=SYSTEM, now=NOW, expected_version=1)
    mistaken = make_inflow(store, factory.id, received_on=date(2025, 4, 1), amount_usd=2_000_000)
    archive_inflow(store, factory.id, mistaken.id, actor=SYSTEM, now=NOW, expected_version=1)
    r = viewer_client.get("/api/v1/kpis?year=2025")
    assert r.status_code == 200, r.json
    fdi, utilised = r.json["measures"]
    assert (fdi["key"], fdi["current"]["total_usd"], fdi["previous"]["total_usd"]) == ("fdi", 115_000_000, 100_000_000)
    assert (utilised["key"], utilised["previous"]["total_usd"]) == ("utilised", 130_000_000)
    assert fdi["previous"]["manufacturing_share"] == 0.4
    checks = {c["name"]: c["status"] for c in r.json["checks"]}
    assert checks["growth"] == "on_track" and checks["manufacturing_share"] == "on_target"


def test_the_current_year_compares_to_date_with_the_same_period(viewer_client, store):
    project = make_project(store)
    make_inflow(store, project.id, received_on=date(2025, 6, 1), amount_usd=10_000_000)
    make_inflow(store, project.id, received_on=date(2025, 12, 1), amount_usd=90_000_000)
    make_inflow(store, project.id, received_on=date(2026, 6, 1), amount_usd=12_000_000)
    r = viewer_client.get("/api/v1/kpis?year=2026").json
    assert (r["as_of"], r["previous_period"]["end"]) == ("2026-11-20", "2025-11-20")
    assert r["measures"][0]["growth"] == 0.2
    assert viewer_client.get("/api/v1/kpis?year=2025&as_of=2025-06-30").json["period"]["end"] == "2025-06-30"


def test_the_kpis_refuse_a_missing_or_future_year_and_need_a_login(viewer_client, anonymous_client):
    assert viewer_client.get("/api/v1/kpis").status_code == 422
    assert viewer_client.get("/api/v1/kpis?year=2027").status_code == 422
    assert viewer_client.get("/api/v1/kpis?year=2025&as_of=2024-01-01").status_code == 422
    assert viewer_client.get("/api/v1/kpis?year=2026&as_of=2026-12-31").status_code == 422
    assert anonymous_client.get("/api/v1/kpis?year=2025").status_code == 401
