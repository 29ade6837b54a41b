"""A past week's report is the report of that week: regenerated later, after leads moved on, a firm
left and another arrived, it gives the figures it gave when it was made (the graph, the stages and
the districts as they stood at the week's end), on both engines.

Report week 2024-W10 (Mon 4 – Sun 10 March 2024), generated on Monday 11 March 2024.
  leads  L1 bosch·electronics.chip → 渝中区, opened 1 Feb, contacted 5 Mar (W10), visited 1 Apr, signed 15 Apr
         L2 infineon·electronics.chip → 渝北区, opened 6 Mar (W10), dropped 2 Apr
  presence CATL (nev.cell) in 沙坪坝区 since 2023, leaves on 1 May 2024; SEMCORP (nev.separator) in 渝中区 from 6 Mar
           2024; Bosch arrives in 沙坪坝区 on 1 Jun 2024
"""
from datetime import date, datetime, timezone

import pytest

from crm.base import hooks
from crm.base.access import SYSTEM, Actor
from crm.base.workdays import at_local
from crm.library.presence import end_presence
from crm.pipeline.leads import move_lead
from crm.reports import Week, generate
from tests.factories import make_lead, make_presence, make_reference, make_user, make_yubei

WEEK = Week.parse("2024-W10")
THEN = datetime(2024, 3, 11, 2, 0, tzinfo=timezone.utc)   # Monday 10:00 in Chongqing
LATER = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
STAFF = Actor("u-staff", "staff", "staff")


def at(month: int, day: int, year: int = 2024) -> datetime:
    return at_local(date(year, month, day), 10)


def same(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k != "generated_at"}


@pytest.fixture
def history(store):
    make_reference(store)
    make_yubei(store)
    make_presence(store, "catl", "500106", since=date(2023, 5, 1))
    make_presence(store, "semcorp", "500103", since=date(2024, 3, 6))
    owner = make_user(store, "li", "staff")
    l1 = make_lead(store, company_id="bosch", link_id="electronics.chip", district_id="500103", owner_id=owner.id,
                   now=at(2, 1))
    move_lead(store, l1.id, "contacted", actor=SYSTEM, now=at(3, 5), expected_version=None)
    l2 = make_lead(store, company_id="infineon", link_id="electronics.chip", district_id="500112", owner_id=owner.id,
                   now=at(3, 6))
    return store, l1, l2


def test_a_past_week_regenerated_after_the_graph_and_stages_moved_on_gives_its_figures_again(history):
    store, l1, l2 = history
    hooks_ = hooks.scoring()
    first = generate(store, WEEK, actor=SYSTEM, now=THEN, scoring=hooks_, deliver=False)
    assert first.figures["pipeline"]["by_stage"]["contacted"]["value"] == 1
    assert "500112" in {r["district_id"] for r in first.figures["districts"]["ranking"]}

    move_lead(store, l1.id, "visited", actor=SYSTEM, now=at(4, 1), expected_version=None)
    move_lead(store, l2.id, "dropped", actor=SYSTEM, now=at(4, 2), expected_version=None, reason="选择其他省市")
    move_lead(store, l1.id, "negotiating", actor=SYSTEM, now=at(4, 10), expected_version=None)
    move_lead(store, l1.id, "signed", actor=SYSTEM, now=at(4, 15), expected_version=None,
              project={"signed_on": date(2024, 4, 15), "contracted_fdi_usd": 80_000_000})
    end_presence(store, "catl", "500106", until=date(2024, 5, 1), reason="relocation", actor=STAFF, now=LATER)
    make_presence(store, "bosch", "500106", since=date(2024, 6, 1))

    again = generate(store, WEEK, actor=SYSTEM, now=LATER, scoring=hooks_, regenerate=True, deliver=False)
    assert same(again.figures) == same(first.figures)
    today = generate(store, Week.parse("2026-W46"), actor=SYSTEM, now=LATER, scoring=hooks_, deliver=False)
    assert today.figures["pipeline"]["by_stage"]["signed"]["value"] == 1
    assert "nev.cell" in {g["link_id"] for g in today.figures["chains"]["chains"][1]["severe"]}
