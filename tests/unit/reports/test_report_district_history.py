"""Districts follow the November 2025 change in history: a project signed in 2023 in 渝北区 reads 渝北区
in a 2023 report and 两江新区 in a report of today, and 两江新区 never appears before it existed."""
from datetime import date, datetime, timezone

import pytest

from crm.base.workdays import at_local
from crm.reports import Week, build
from tests.factories import make_inflow, make_lead, make_project, make_reference, make_yubei

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
M = 1_000_000


@pytest.fixture
def yubei(store):
    """渝北区 abolished on 6 November 2025 into 两江新区; a project there signed on 1 March 2023."""
    make_reference(store)
    make_yubei(store)
    project = make_project(store, district_id="500112", signed_on=date(2023, 3, 8), now=at_local(date(2023, 3, 8), 10))
    make_inflow(store, project.id, received_on=date(2023, 3, 9), amount_usd=20 * M, now=at_local(date(2023, 3, 9), 10))
    make_inflow(store, project.id, received_on=date(2026, 11, 11), amount_usd=30 * M)
    make_lead(store, district_id="500112", now=at_local(date(2023, 3, 7), 10))
    return store


def ranking(figures: dict) -> dict[str, dict]:
    return {r["district_id"]: r for r in figures["districts"]["ranking"]}


def test_a_2023_report_reads_the_district_as_it_was(yubei):
    figures = build(yubei, Week.parse("2023-W10"), now=NOW, scoring=None)
    rows = ranking(figures)
    assert "500157" not in rows and "500105" in rows
    assert rows["500112"]["name_zh"] == "渝北区"
    assert rows["500112"]["components"]["signings"]["value"] == 1
    assert rows["500112"]["components"]["paid_in_fdi"]["value"] == 20 * M
    assert [s["district_id"] for s in figures["pipeline"]["signings"]] == ["500112"]
    assert [r["id"] for r in figures["pipeline"]["by_district"]] == ["500112"]


def test_a_report_of_today_reads_its_successor(yubei):
    figures = build(yubei, Week.parse("2026-W46"), now=NOW, scoring=None)
    rows = ranking(figures)
    assert "500112" not in rows and "500105" not in rows
    assert rows["500157"]["name_zh"] == "两江新区"
    assert rows["500157"]["components"]["paid_in_fdi"]["value"] == 30 * M
    assert [r["id"] for r in figures["pipeline"]["by_district"]] == ["500157"]
